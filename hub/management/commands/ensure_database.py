"""Create the PostgreSQL database named in DATABASE_URL if it is not there yet.

For `make serve` on a fresh machine; a managed database in production already exists.
Nothing to do on SQLite, which creates its file itself.
"""

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the configured PostgreSQL database if it does not exist."

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]
        if database["ENGINE"] != "django.db.backends.postgresql":
            return
        import psycopg
        from psycopg import sql

        params = {
            "dbname": "postgres",
            "host": database.get("HOST") or None,
            "port": database.get("PORT") or None,
            "user": database.get("USER") or None,
            "password": database.get("PASSWORD") or None,
        }
        with psycopg.connect(**params, autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]]
            ).fetchone()
            if not exists:
                connection.execute(
                    sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database["NAME"]))
                )
                self.stdout.write(f"Database {database['NAME']} created.")
