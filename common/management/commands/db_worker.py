"""django-tasks-db's `db_worker`, holding leases: a task whose worker was lost runs again.

The same command and options (the `common` app comes before django_tasks_db in
INSTALLED_APPS, so `manage.py db_worker` is this one). When it starts, and then every
fifth of HUB_TASK_LEASE_SECONDS (at most a minute) while it runs, the worker queues again
the tasks left RUNNING by a worker that was killed (common.tasks.recover_stalled).
"""

import logging
import os
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from common.tasks import recover_stalled

logger = logging.getLogger("common.tasks")


def recover(backend_name):
    try:
        recover_stalled(backend_name)
    except DatabaseError as error:  # a locked SQLite file, a dropped connection: next time
        logger.warning("Could not look for tasks whose worker was lost: %r", error)


def keep_recovering(backend_name, interval):
    while True:
        time.sleep(interval)
        recover(backend_name)
        connections.close_all()  # this thread's own connections


class Command(DatabaseWorker):
    help = (
        "Run a database background worker. Tasks left running by a lost worker for longer "
        "than HUB_TASK_LEASE_SECONDS are queued again."
    )

    def handle(self, *args, **options):
        backend_name = options["backend_name"]
        recover(backend_name)
        # With --reload the parent process only watches files; its child runs the tasks.
        watcher = options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not options["batch"] and not watcher:
            interval = max(1, min(60, settings.HUB_TASK_LEASE_SECONDS / 5))
            threading.Thread(
                target=keep_recovering,
                args=(backend_name, interval),
                name="task-leases",
                daemon=True,
            ).start()
        super().handle(*args, **options)
