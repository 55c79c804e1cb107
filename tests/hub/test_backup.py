"""The backup in docs/deploy.md restores: pg_dump -Fc, pg_restore into a new database."""

import shutil
import subprocess

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.articles.factories import make_article

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="a PostgreSQL backup",
    ),
]


def libpq_env(database):
    return {
        "PGHOST": database["HOST"] or "127.0.0.1",
        "PGPORT": str(database["PORT"] or 5432),
        "PGUSER": database["USER"] or "postgres",
        "PGPASSWORD": database["PASSWORD"] or "",
        "PATH": "/usr/bin:/bin",
    }


def test_a_dump_restores_into_a_new_database_with_every_row(tmp_path, reader):
    if not shutil.which("pg_dump"):
        pytest.skip("the PostgreSQL client tools are not installed")
    make_article("Kept in the backup")
    database = connection.settings_dict
    env = libpq_env(database)
    dump = tmp_path / "hub.dump"
    restored = f"{database['NAME']}_restored"
    subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", dump, database["NAME"]], env=env,
                   check=True)  # fmt: skip
    subprocess.run(["dropdb", "--if-exists", restored], env=env, check=True)
    subprocess.run(["createdb", restored], env=env, check=True)
    try:
        subprocess.run(["pg_restore", "--no-owner", "--dbname", restored, dump], env=env,
                       check=True)  # fmt: skip
        params = {"host": env["PGHOST"], "port": env["PGPORT"], "user": env["PGUSER"]}
        with psycopg.connect(dbname=restored, **params) as copy:
            titles = copy.execute("SELECT title FROM articles_article").fetchall()
            emails = copy.execute("SELECT email FROM accounts_user").fetchall()
            migrations = copy.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
    finally:
        subprocess.run(["dropdb", "--if-exists", restored], env=env, check=True)

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        (expected_migrations,) = cursor.fetchone()
    assert titles == [("Kept in the backup",)]
    assert emails == [(reader.email,)]
    assert migrations == expected_migrations
