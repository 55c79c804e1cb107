"""Settings for the Hub, read from the environment (12-factor).

Local development needs nothing set: debug on, SQLite under var/, local-memory
cache, emails printed to the console. Production sets DJANGO_DEBUG=off and must
then provide DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS, or start-up fails loudly.
"""

from pathlib import Path
from urllib.parse import urlparse

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=True)

LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]

if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="django-insecure-local-development-only")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=LOCAL_HOSTS[:3])
    # A production deploy that forgot DJANGO_DEBUG=off must not start with debug on.
    if set(ALLOWED_HOSTS) - set(LOCAL_HOSTS):
        raise ImproperlyConfigured(
            "DJANGO_DEBUG is on (the default) but DJANGO_ALLOWED_HOSTS names public hosts: "
            "set DJANGO_DEBUG=off in production."
        )
else:
    try:
        SECRET_KEY = env.str("DJANGO_SECRET_KEY")
        ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(
            "With DJANGO_DEBUG off, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS must be set."
        ) from exc
    if not env.str("DJANGO_BASE_URL", default=""):
        raise ImproperlyConfigured(
            "With DJANGO_DEBUG off, DJANGO_BASE_URL must be set (e.g. https://hub.example.org): "
            "emails sent outside a request, such as newsletter digests, link to it."
        )

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_countries",
    "nested_admin",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "cookie_consent",
    "csp",
    "articles",
    "accounts",
    "quizzes",
    "consent",
    "newsletter",
    "hub",
    "demo",
]

MIDDLEWARE = [
    "hub.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's middleware, widened for the third parties a visitor consented to.
    "consent.middleware.ConsentCSPMiddleware",
    "cookie_consent.middleware.CleanCookiesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.gate.HCPGateMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
]

ROOT_URLCONF = "hub.urls"
WSGI_APPLICATION = "hub.wsgi.application"
ASGI_APPLICATION = "hub.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hub.context_processors.site",
                "consent.context_processors.consent",
                "accounts.context_processors.bookmarks",
            ],
        },
    },
]

# Database: SQLite under var/ by default; any DATABASE_URL otherwise.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: CACHE_URL, else REDIS_URL, else local memory (one process only).
if env.str("CACHE_URL", default=""):
    CACHES = {"default": env.cache_url("CACHE_URL")}
elif env.str("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("REDIS_URL"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CACHES["default"].setdefault("KEY_PREFIX", env.str("DJANGO_CACHE_PREFIX", default="hub"))

# Sessions live in the cache with the database behind it, so every app server
# sees the same session and a cache flush logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# The HCP gate's declaration cookie (accounts.gate.COOKIE_NAME): article reach counts
# a declared visitor by it, hashed with a daily salt (articles/reach.py).
HUB_READER_COOKIE = "hub_hcp"

# Email: consolemail:// by default; smtp://, smtp+tls://, filemail:///path work too.
EMAIL_URL = env.str("EMAIL_URL", default="consolemail://")
vars().update(env.email_url_config(EMAIL_URL))
if urlparse(EMAIL_URL).scheme == "filemail":
    # django-environ drops the leading slash of an absolute path; keep it.
    _mail_url = urlparse(EMAIL_URL)
    EMAIL_FILE_PATH = _mail_url.netloc + _mail_url.path
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="Hub <noreply@hub.localhost>")
SERVER_EMAIL = env.str("DJANGO_SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
ADMINS = [("Hub staff", addr) for addr in env.list("DJANGO_ADMINS", default=[])]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"

# django-allauth: email is the only identifier; addresses must be verified.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Hub] "
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupDetailsForm"
# Sign-ups that race for one address, and their timing, stay quiet about accounts.
ACCOUNT_FORMS = {"signup": "accounts.signup.SignupForm"}
# Merged over allauth's own limits. Deleting an account re-checks the password (and
# the authenticator code): tries per reader and per address, so a held session cannot
# guess them.
ACCOUNT_RATE_LIMITS = {"delete_account": "5/15m/user,20/15m/ip"}
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
MFA_ADAPTER = "accounts.adapters.EncryptingMFAAdapter"
# Key for TOTP secrets at rest; derived from the secret key when unset.
HUB_MFA_ENCRYPTION_KEY = env.str("DJANGO_MFA_ENCRYPTION_KEY", default="")
# Behind N load balancers/proxies, rate limits count the client's address, not theirs.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Hub"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("de", _("German")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "static")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names need `collectstatic`; local development and the
    # test suite serve the source files instead.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security headers. The CSP allows no inline script or style: a nonce is the
# only way in for a script that must be inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "media-src": [SELF, "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # Hosted videos, created only after the reader asks for them.
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    COOKIE_CONSENT_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

HUB_SITE_NAME = env.str("HUB_SITE_NAME", default="Hub")

# Cookie consent: the Hub records decisions itself (consent.models).
COOKIE_CONSENT_LOG_ENABLED = False
# Third-party scripts, loaded by the visitor's browser only after consent.
HUB_ANALYTICS_SCRIPT_URL = env.str("HUB_ANALYTICS_SCRIPT_URL", default="")
HUB_TRANSLATION_SCRIPT_URL = env.str(
    "HUB_TRANSLATION_SCRIPT_URL",
    default="https://translate.google.com/translate_a/element.js?cb=hubTranslateInit",
)
HUB_TRANSLATION_ORIGINS = env.list(
    "HUB_TRANSLATION_ORIGINS",
    default=[
        "https://translate.google.com",
        "https://translate.googleapis.com",
        "https://translate-pa.googleapis.com",
        "https://www.gstatic.com",
        "https://www.google.com",
    ],
)
# The public address, for links in emails sent outside a request (newsletter digests);
# required in production. `make run PORT=...` sets it to the port it serves on.
HUB_BASE_URL = env.str("DJANGO_BASE_URL", default="http://127.0.0.1:8000")
# Who receives the contact form's messages (default: the site's ADMINS).
HUB_CONTACT_EMAILS = env.list("DJANGO_CONTACT_EMAILS", default=[a[1] for a in ADMINS])
