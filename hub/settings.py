"""Settings for the Hub, read from the environment (12-factor).

Local development needs nothing set: debug on, SQLite under var/, local-memory
cache, emails printed to the console. Production sets DJANGO_DEBUG=off and must
then provide DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DJANGO_MFA_ENCRYPTION_KEY, or
start-up fails loudly.
"""

from pathlib import Path
from urllib.parse import urlparse

import django
import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# ".localhost": this machine's names for the demo's hubs (lymphoma.localhost), which
# browsers resolve to the loopback address.
LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]", ".localhost", "testserver"]

if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="django-insecure-local-development-only")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=LOCAL_HOSTS[:4])
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

# Older secret keys, still accepted for signatures (and two-factor secrets) after a rotation.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Django 6 ships the tasks API as django.tasks; on 5.2 it comes from the django-tasks
# backport, an app of its own (common/tasks.py picks the same for our code).
HUB_TASKS_MODULE = "django.tasks" if django.VERSION >= (6, 0) else "django_tasks"

INSTALLED_APPS = [
    # Django's admin as the editors' desk (hub.desk): the brand's name, a staff log-in
    # through allauth, an index grouped for editors and a dashboard.
    "hub.admin_config.DeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Article's search column is its field type; Django 6 checks the app is installed
    # (it does nothing on SQLite).
    "django.contrib.postgres",
    "django_countries",
    "nested_admin",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "cookie_consent",
    "csp",
    # Before django_tasks_db: its `db_worker` command is ours, with a lease (common.tasks).
    "common",
    *(["django_tasks"] if HUB_TASKS_MODULE == "django_tasks" else []),
    "django_tasks_db",
    "hubs",
    "brand",
    "imagekit",
    "articles",
    "accounts",
    "quizzes",
    "consent",
    "newsletter",
    "pagecache",
    "hub",
    "demo",
]

MIDDLEWARE = [
    "hub.middleware.HealthCheckMiddleware",
    "hub.request_log.RequestLogMiddleware",
    # Marks shared pages public for HTTP caches, once everything below has had its say
    # (pagecache/middleware.py; pagecache/CONTRACT.md).
    "pagecache.middleware.SharedPageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # django-csp's middleware, widened for the third parties a visitor consented to.
    "consent.middleware.ConsentCSPMiddleware",
    "cookie_consent.middleware.CleanCookiesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The hub the request's host names (hubs/middleware.py): every layer below serves
    # it; its own answers (an unknown host, another host of a hub) get the headers above.
    "hubs.middleware.HubMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.gate.HCPGateMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    # Searches and other pages that differ only in a few values: the page around them
    # kept, for readers who are not logged in (pagecache/frames.py).
    "pagecache.frames.FrameMiddleware",
    # Logged-in readers' shared pages: a kept shell, personal parts rendered per reader.
    "pagecache.members.MemberPageMiddleware",
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
                "brand.context_processors.brand",
                "hub.context_processors.site",
                "consent.context_processors.consent",
                "accounts.context_processors.bookmarks",
            ],
        },
    },
]

# Database: SQLite under var/ by default; any DATABASE_URL otherwise. PostgreSQL
# connections come from psycopg's pool in each process (DJANGO_DB_POOL, on by default;
# off means persistent connections instead), checked before use, so a connection the
# server dropped (a restart, pg_terminate_backend) is replaced without an error.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
else:
    # With the pool, health checks make it test each connection it hands out: a round
    # trip per request. The app servers' WSGI entry (hub/wsgi.py) turns them off: it
    # answers again a request whose connection was lost before it wrote (hub/retry.py).
    # Everything else (the task worker, commands) keeps them.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DJANGO_DB_HEALTH_CHECKS", default=True)
    if env.bool("DJANGO_DB_POOL", default=True):
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DJANGO_DB_POOL_MIN", default=1),
            "max_size": env.int("DJANGO_DB_POOL_MAX", default=4),
            "timeout": 10,
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
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
# The cookie groups, kept in each app server and dropped by any change to the site
# (pagecache.memo); with no memo (SQLite) they are read from the database.
CACHES["memo"] = {"BACKEND": "pagecache.memo.MemoCache"}
COOKIE_CONSENT_CACHE_BACKEND = "memo"
# Redis going down degrades the cache to misses instead of failing every page.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "hub.cache.ResilientRedisCache"

# Shared pages (pagecache/CONTRACT.md): public for HTTP caches for up to
# HUB_PAGE_CACHE_SECONDS, purged by surrogate key when what they show changes.
HUB_PAGE_CACHE = env.bool("HUB_PAGE_CACHE", default=True)
HUB_PAGE_CACHE_SECONDS = env.int("HUB_PAGE_CACHE_SECONDS", default=300)
# The HTTP caches in front of the app servers (Varnish with deploy/hub.vcl): each is
# sent a PURGE with the keys a committed change touched, e.g. http://127.0.0.1:6081/.
HUB_PURGE_URLS = env.list("HUB_PURGE_URLS", default=[])
# Each app server's own cache of shared pages (pagecache/wsgi.py), for a box with no
# proxy in front; a proxy does that job where there is one.
HUB_LOCAL_CACHE = env.bool("HUB_LOCAL_CACHE", default=not HUB_PURGE_URLS)
HUB_LOCAL_CACHE_MB = env.int("HUB_LOCAL_CACHE_MB", default=32)

# Sessions live in the database: a log-out or a deleted session is gone for every app
# server the moment it commits, whatever state the cache is in.
# Django's database sessions, kept by each app server until a change to the row is
# heard (accounts.sessions, common.memo): a log-out anywhere ends the session everywhere.
SESSION_ENGINE = "accounts.sessions"

# The HCP gate's declaration cookie (accounts.gate.COOKIE_NAME): article reach counts
# a declared visitor by it, hashed with a daily salt (articles/reach.py).
HUB_READER_COOKIE = "hub_hcp"
HUB_REACH_FLUSH_SECONDS = env.int("HUB_REACH_FLUSH_SECONDS", default=5)

# Email: consolemail:// by default; smtp://, smtp+tls://, filemail:///path work too.
EMAIL_URL = env.str("EMAIL_URL", default="consolemail://")
vars().update(env.email_url_config(EMAIL_URL))
if urlparse(EMAIL_URL).scheme == "filemail":
    # django-environ drops the leading slash of an absolute path; keep it.
    _mail_url = urlparse(EMAIL_URL)
    EMAIL_FILE_PATH = _mail_url.netloc + _mail_url.path
# The address emails come from; their sender's name is the brand's (brand.mail.sender).
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="noreply@hub.localhost")
SERVER_EMAIL = env.str("DJANGO_SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# A silent mail server fails the send (it is tried again later) well inside a task's lease,
# rather than holding the worker until the lease runs out and the email is sent twice.
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=30)
_admins = env.list("DJANGO_ADMINS", default=[])
# Django 6 takes plain addresses and deprecates the (name, address) pairs 5.2 needs.
ADMINS = _admins if django.VERSION >= (6, 0) else [("Hub staff", addr) for addr in _admins]

# Background work (emails): the task queue lives in the database and `manage.py db_worker`
# runs it, so a slow or failing mail server never holds up a request and nothing queued
# is lost while the worker is down. HUB_TASKS_IMMEDIATE=on runs tasks at once, in the
# process that queues them: `make run` uses it so a newcomer needs no worker.
TASKS = {
    "default": {
        "BACKEND": f"{HUB_TASKS_MODULE}.backends.immediate.ImmediateBackend"
        if env.bool("HUB_TASKS_IMMEDIATE", default=False)
        else "django_tasks_db.DatabaseBackend"
    }
}
# A task RUNNING longer than this lost its worker (killed, out of memory, machine gone):
# every worker queues it again (common.tasks.recover_stalled). Longer than any task runs.
HUB_TASK_LEASE_SECONDS = env.int("HUB_TASK_LEASE_SECONDS", default=300)

AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, with the user's row kept as sessions are (accounts.backends).
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
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
# A reader hears of every change to their password, addresses and two-factor set-up.
ACCOUNT_EMAIL_NOTIFICATIONS = True
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
# Key for two-factor secrets at rest (TOTP secrets, recovery-code seeds). Older keys
# stay readable from the fallbacks, and so do keys derived from SECRET_KEY and its
# fallbacks (what was used when this was unset); `manage.py rotate_mfa_secrets`
# re-encrypts everything with the current key.
HUB_MFA_ENCRYPTION_KEY = env.str("DJANGO_MFA_ENCRYPTION_KEY", default="")
HUB_MFA_ENCRYPTION_KEY_FALLBACKS = env.list("DJANGO_MFA_ENCRYPTION_KEY_FALLBACKS", default=[])
if not DEBUG and not HUB_MFA_ENCRYPTION_KEY:
    raise ImproperlyConfigured(
        "With DJANGO_DEBUG off, DJANGO_MFA_ENCRYPTION_KEY must be set, so that rotating "
        "DJANGO_SECRET_KEY does not lock editors out of two-factor log-in. Existing secrets "
        "stay readable; run `manage.py rotate_mfa_secrets` after setting it."
    )
# Behind N load balancers/proxies, rate limits count the client's address, not theirs.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
# Or a header a trusted proxy sets to the client's address (e.g. X-Real-IP).
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("DJANGO_TRUSTED_CLIENT_IP_HEADER", default="") or None
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# The set-up page keeps its secret across reloads (accounts/two_factor.py).
MFA_FORMS = {"activate_totp": "accounts.two_factor.ActivateTOTPForm"}

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
# Uploads: local files by default; with several app servers, object storage through
# django-storages, e.g. DJANGO_MEDIA_STORAGE=storages.backends.s3.S3Storage and
# DJANGO_MEDIA_STORAGE_OPTIONS='{"bucket_name": "hub-media"}' (docs/deploy.md).
STORAGES = {
    "default": {
        "BACKEND": env.str(
            "DJANGO_MEDIA_STORAGE", default="django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": env.json("DJANGO_MEDIA_STORAGE_OPTIONS", default={}),
    },
    # Hashed, compressed names need `collectstatic`; local development and the
    # test suite serve the source files instead.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Local uploads are served by Django itself (hub/urls.py, hub.views.media) in local
# development only. In production a web server or object storage serves them
# (docs/deploy.md); HUB_SERVE_MEDIA=on opts in on one box (bin/serve), and
# `manage.py check --deploy` warns about it (hub.checks).
HUB_SERVE_MEDIA = env.bool(
    "HUB_SERVE_MEDIA",
    default=DEBUG
    and STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage",
)

# Image renditions (articles/images.py) are made by the worker after an image is saved
# (articles/renditions.py), never when a page asks for them, so pages need no storage
# call to show an image.
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "articles.images.Deferred"

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

# Logs go to stderr: one JSON line per request from hub.requests (hub/request_log.py),
# and every other record with the id of the request it belongs to. Each line starts
# with the time (ISO 8601, UTC); secrets in addresses are redacted (hub.request_log).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "hub.request_log.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "class": "hub.request_log.PlainFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s %(message)s",
        },
        "line": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        },
        "requests": {"class": "logging.StreamHandler", "formatter": "line"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["request_id"],
            "level": "ERROR",
        },
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "hub.requests": {"handlers": ["requests"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console", "mail_admins"], "propagate": False},
    },
}

# The name until editors set a brand in the admin (brand.models).
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
HUB_CONTACT_EMAILS = env.list("DJANGO_CONTACT_EMAILS", default=_admins)
