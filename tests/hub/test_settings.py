"""Settings read from the environment, checked in a fresh interpreter each time."""

import json
import os
import secrets
import subprocess
import sys

import pytest

from tests.tools import ROOT

PRODUCTION = {
    "DJANGO_DEBUG": "off",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "hub.example.org",
    "DJANGO_BASE_URL": "https://hub.example.org",
    "DJANGO_MFA_ENCRYPTION_KEY": secrets.token_urlsafe(50),
    "REDIS_URL": "redis://127.0.0.1:6379/1",
}


def run_python(code, env):
    ours = ("DJANGO_", "CACHE_URL", "EMAIL_URL", "DATABASE_URL", "REDIS_URL")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    return subprocess.run(
        [sys.executable, *code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "hub.settings", **env},
        capture_output=True,
        text=True,
        timeout=300,  # a subprocess Django: slow on a loaded machine, never stuck
    )


def settings_with(env, *names):
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = run_python(["-c", code], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_is_clean_with_production_settings():
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "DEBUG"], PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}

    result = run_python(["manage.py", "check"], env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_production_refuses_to_start_without_an_mfa_encryption_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_MFA_ENCRYPTION_KEY"}

    result = run_python(["manage.py", "check"], env)

    assert result.returncode != 0
    assert "DJANGO_MFA_ENCRYPTION_KEY must be set" in result.stderr


def test_old_keys_are_read_from_the_fallback_variables():
    values = settings_with(
        {
            **PRODUCTION,
            "DJANGO_SECRET_KEY_FALLBACKS": "old-secret-1,old-secret-2",
            "DJANGO_MFA_ENCRYPTION_KEY_FALLBACKS": "old-mfa-key",
        },
        "SECRET_KEY_FALLBACKS",
        "HUB_MFA_ENCRYPTION_KEY",
        "HUB_MFA_ENCRYPTION_KEY_FALLBACKS",
    )

    assert values["SECRET_KEY_FALLBACKS"] == ["old-secret-1", "old-secret-2"]
    assert values["HUB_MFA_ENCRYPTION_KEY"] == PRODUCTION["DJANGO_MFA_ENCRYPTION_KEY"]
    assert values["HUB_MFA_ENCRYPTION_KEY_FALLBACKS"] == ["old-mfa-key"]


def test_local_defaults_need_nothing_set():
    values = settings_with({}, "DEBUG", "DATABASES", "CACHES", "EMAIL_BACKEND", "STORAGES")

    assert values["DEBUG"] is True
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["DATABASES"]["default"]["NAME"].endswith("var/db.sqlite3")
    assert values["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_production_uses_redis_hashed_static_files_and_secure_cookies():
    values = settings_with(
        PRODUCTION,
        "DEBUG",
        "CACHES",
        "STORAGES",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_SSL_REDIRECT",
        "LANGUAGE_COOKIE_SECURE",
        "LANGUAGE_COOKIE_SAMESITE",
        "LANGUAGE_COOKIE_HTTPONLY",
    )

    assert values["DEBUG"] is False
    assert values["CACHES"]["default"] == {
        "BACKEND": "hub.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
        "KEY_PREFIX": "hub",
    }
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["LANGUAGE_COOKIE_SECURE"] is True
    assert values["LANGUAGE_COOKIE_SAMESITE"] == "Lax"
    assert values["LANGUAGE_COOKIE_HTTPONLY"] is True


def test_production_refuses_to_start_without_its_public_address():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_BASE_URL"}

    result = run_python(["manage.py", "check"], env)

    assert result.returncode != 0
    assert "DJANGO_BASE_URL must be set" in result.stderr


def test_make_run_links_to_the_port_it_serves_on():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_BASE_URL"}
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, env=env, capture_output=True, text=True
    )

    command = result.stdout.replace("\\\n", " ")
    assert 'DJANGO_BASE_URL="${DJANGO_BASE_URL:-http://127.0.0.1:8123}"' in command
    assert "runserver 127.0.0.1:8123" in command


def test_cache_url_and_database_url_are_honoured():
    values = settings_with(
        {
            "CACHE_URL": "redis://127.0.0.1:6379/2",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/hubdb",
        },
        "CACHES",
        "DATABASES",
    )

    assert values["CACHES"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/2"
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["HOST"], database["PORT"]) == ("hubdb", "127.0.0.1", 5432)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("consolemail://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        (
            "filemail:///var/mail/hub",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": "/var/mail/hub",
            },
        ),
        (
            "smtp+tls://mailer:s3cret@smtp.example.org:587",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "smtp.example.org",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "mailer",
                "EMAIL_HOST_PASSWORD": "s3cret",
                "EMAIL_USE_TLS": True,
            },
        ),
    ],
)
def test_email_url_configures_the_backend(url, expected):
    values = settings_with({"EMAIL_URL": url}, *expected)

    assert values == expected


def test_filemail_really_writes_to_the_absolute_path(tmp_path):
    code = (
        "import django; django.setup(); from django.core.mail import send_mail; "
        "send_mail('Hello', 'Body text', 'hub@example.org', ['reader@example.org'])"
    )

    result = run_python(["-c", code], {"EMAIL_URL": f"filemail://{tmp_path}"})

    assert result.returncode == 0, result.stderr
    (message,) = tmp_path.iterdir()
    assert "Subject: Hello" in message.read_text()


def test_templates_are_cached_in_production():
    code = (
        "import django; django.setup(); from django.template import engines; "
        "print(engines['django'].engine.loaders)"
    )

    result = run_python(["-c", code], PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "django.template.loaders.cached.Loader" in result.stdout


def test_debug_left_on_with_public_hosts_refuses_to_start():
    result = run_python(["manage.py", "check"], {"DJANGO_ALLOWED_HOSTS": "hub.example.org"})

    assert result.returncode != 0
    assert "set DJANGO_DEBUG=off in production" in result.stderr


def test_proxy_settings_reach_allauth():
    values = settings_with(
        {"DJANGO_TRUSTED_PROXY_COUNT": "2", "DJANGO_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"},
        "ALLAUTH_TRUSTED_PROXY_COUNT",
        "ALLAUTH_TRUSTED_CLIENT_IP_HEADER",
    )

    assert values == {
        "ALLAUTH_TRUSTED_PROXY_COUNT": 2,
        "ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP",
    }


def test_uploads_can_go_to_another_storage_backend(tmp_path):
    env = {
        "DJANGO_MEDIA_STORAGE": "django.core.files.storage.FileSystemStorage",
        "DJANGO_MEDIA_STORAGE_OPTIONS": f'{{"location": "{tmp_path}"}}',
    }
    code = (
        "import django; django.setup(); from django.core.files.base import ContentFile; "
        "from django.core.files.storage import default_storage as s; "
        "print(s.save('experts/photo.txt', ContentFile(b'x')))"
    )

    result = run_python(["-c", code], env)

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "experts" / "photo.txt").exists()


def media_routing(env):
    """Whether Django serves uploads under these settings, and whether /media/ has a view."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "from django.urls import Resolver404, resolve\n"
        "try:\n    resolve('/media/brand/logo.png'); routed = True\n"
        "except Resolver404:\n    routed = False\n"
        "print(json.dumps([settings.HUB_SERVE_MEDIA, routed]))"
    )
    result = run_python(["-c", code], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_leaves_uploads_to_a_web_server_or_object_storage():
    assert media_routing(PRODUCTION) == [False, False]
    assert media_routing({**PRODUCTION, "HUB_SERVE_MEDIA": "on"}) == [True, True]
    assert media_routing({}) == [True, True], "local development serves them"


def test_check_deploy_warns_when_django_serves_uploads_with_debug_off():
    env = {**PRODUCTION, "HUB_SERVE_MEDIA": "on"}

    result = run_python(["manage.py", "check", "--deploy"], env)
    strict = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "hub.W001" in output
    assert "HUB_SERVE_MEDIA is on" in output
    assert strict.returncode != 0
