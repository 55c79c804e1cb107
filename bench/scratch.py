"""A throw-away database for a bench script.

SQLite in a temporary folder by default; with DATABASE_URL set, a "test_" database
beside the one it names, created now and dropped by close() (the named database
itself is never touched).
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ScratchDatabase:
    def __init__(self):
        self._folder = tempfile.TemporaryDirectory()
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{self._folder.name}/bench.sqlite3")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        self._connection = connection
        self._original_name = None
        if connection.vendor == "sqlite":
            call_command("migrate", verbosity=0)
        else:
            self._original_name = connection.settings_dict["NAME"]
            connection.creation.create_test_db(verbosity=0, autoclobber=True)

    def close(self):
        if self._original_name:
            self._connection.creation.destroy_test_db(self._original_name, verbosity=0)
        self._folder.cleanup()
