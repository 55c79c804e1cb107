"""A task whose worker was lost runs again once its lease is over, and its email goes once.

The first tests are real: `manage.py db_worker` runs in a process of its own, against a
database of its own (a SQLite file, or a new PostgreSQL database when the suite runs on
PostgreSQL), and is killed with SIGKILL in the middle of sending an email
(tests/common/stalling_email.py holds the send). A second worker finishes the task.
"""

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from email import message_from_bytes
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from common.mail import send_later
from common.models import SentEmail
from common.tasks import MAX_RUNS, recover_stalled
from tests.conftest import run_worker
from tests.tools import ROOT

LEASE = 2  # seconds, for the workers these tests start
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


class Database:
    """A database for worker processes, outside the test's own transaction."""

    def __init__(self, url):
        self.url = url

    def rows(self, sql):
        if self.url.startswith("sqlite"):
            import sqlite3

            with sqlite3.connect(urlsplit(self.url).path[1:]) as connection:
                return connection.execute(sql).fetchall()
        with psycopg.connect(self.url) as connection:
            return connection.execute(sql).fetchall()

    def tasks(self):
        """(id, status, number of workers that claimed it) of each task."""
        return [
            (str(uuid.UUID(str(pk))), status, len(json.loads(ids) if isinstance(ids, str) else ids))
            for pk, status, ids in self.rows(
                "SELECT id, status, worker_ids FROM django_tasks_database_dbtaskresult"
            )
        ]


def manage(database, *args, env=None, **popen):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "HUB_", "REDIS_"))
    }
    environment.pop("CACHE_URL", None)
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.common.worker_settings",
            "DATABASE_URL": database.url,
            "HUB_TASK_LEASE_SECONDS": str(LEASE),
            "HUB_TEST_MAIL_DIR": os.environ.get("HUB_TEST_MAIL_DIR", "/nonexistent"),
            **(env or {}),
        }
    )
    command = [sys.executable, "manage.py", *args]
    if popen:
        return subprocess.Popen(command, cwd=ROOT, env=environment, **popen)
    return subprocess.run(command, cwd=ROOT, env=environment, check=True, capture_output=True)


def _admin_url():
    url = urlsplit(os.environ["DATABASE_URL"])
    return lambda name: urlunsplit(url._replace(path=f"/{name}"))


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A migrated database to copy for each test: a file, or a PostgreSQL template."""
    if not ON_POSTGRES:
        template = tmp_path_factory.mktemp("db") / "template.sqlite3"
        manage(Database(f"sqlite:///{template}"), "migrate", "-v0")

        def copy(name):
            path = template.with_name(f"{name}.sqlite3")
            shutil.copy(template, path)
            return Database(f"sqlite:///{path}")

        yield copy
        return
    url_of = _admin_url()
    made = [f"hub_lease_{uuid.uuid4().hex[:8]}"]
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {made[0]}")
    try:
        manage(Database(url_of(made[0])), "migrate", "-v0")

        def copy(name):
            made.append(f"{made[0]}_{name}")
            with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as admin:
                admin.execute(f"CREATE DATABASE {made[-1]} TEMPLATE {made[0]}")
            return Database(url_of(made[-1]))

        yield copy
    finally:
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as admin:
            for name in reversed(made):
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def mail_dir(tmp_path, monkeypatch):
    path = tmp_path / "mail"
    path.mkdir()
    monkeypatch.setenv("HUB_TEST_MAIL_DIR", str(path))
    return path


def queue_welcome(database):
    manage(
        database,
        "shell",
        "-c",
        "from django.core.mail import EmailMessage; from common.mail import send_later; "
        "send_later(EmailMessage('Welcome', 'Hello.', to=['reader@example.org']))",
    )
    ((task_id, status, runs),) = database.tasks()
    assert (status, runs) == ("READY", 0)
    return task_id


def start_worker(database, log, **env):
    return manage(
        database,
        "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2",
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def wait_for(condition, what, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout} s for {what}")
        time.sleep(0.1)


def emails_written(mail_dir):
    """Every message the file backend wrote, in order."""
    separator = b"\n" + b"-" * 79 + b"\n"
    return [
        message_from_bytes(chunk)
        for path in sorted(mail_dir.iterdir())
        for chunk in path.read_bytes().split(separator)
        if chunk.strip()
    ]


def kill_mid_send(database, mail_dir, tmp_path, stall):
    """A worker takes the queued email and is killed while sending it ("before" the mail
    server has it, or "after" it has it and before the task could record so)."""
    with open(tmp_path / "doomed.log", "wb") as log:
        doomed = start_worker(database, log, HUB_TEST_STALL=stall)
        try:
            if stall == "before":
                wait_for(lambda: database.tasks()[0][1] == "RUNNING", "the worker to start")
            else:
                wait_for(lambda: emails_written(mail_dir), "the worker to hand the email over")
        finally:
            doomed.kill()
            doomed.wait()


def finish_with_a_new_worker(database, tmp_path):
    with open(tmp_path / "successor.log", "wb") as log:
        successor = start_worker(database, log)
        try:
            wait_for(
                lambda: database.tasks()[0][1] != "RUNNING",
                f"the task to run again after its lease ({tmp_path / 'successor.log'})",
            )
            wait_for(lambda: database.tasks()[0][1] == "SUCCESSFUL", "the task to finish")
        finally:
            successor.terminate()
            successor.wait(timeout=30)
    return (tmp_path / "successor.log").read_text()


def test_an_email_whose_worker_was_killed_is_sent_once_by_the_next_worker(
    migrated, tmp_path, mail_dir
):
    database = migrated("before")
    task_id = queue_welcome(database)

    kill_mid_send(database, mail_dir, tmp_path, stall="before")

    assert database.tasks() == [(task_id, "RUNNING", 1)], "left running by the dead worker"
    log = finish_with_a_new_worker(database, tmp_path)

    assert database.tasks() == [(task_id, "SUCCESSFUL", 2)]
    (sent,) = emails_written(mail_dir)
    assert (sent["To"], sent["Subject"]) == ("reader@example.org", "Welcome")
    assert sent["Message-ID"] == f"<{task_id}@hub.localhost>"
    assert f"Task {task_id} (common.mail.deliver_email) has been running since" in log
    assert "its worker was lost. Queued again (run 2 of 3)." in log


def test_a_send_the_task_could_not_record_goes_again_under_the_same_message_id(
    migrated, tmp_path, mail_dir
):
    """Killed after the mail server took the email and before the task could record it:
    nothing here can know it went, so it goes again, as the same message, which a mail
    provider that removes duplicates drops."""
    database = migrated("after")
    task_id = queue_welcome(database)

    kill_mid_send(database, mail_dir, tmp_path, stall="after")
    finish_with_a_new_worker(database, tmp_path)

    first, second = emails_written(mail_dir)
    assert first["Message-ID"] == second["Message-ID"] == f"<{task_id}@hub.localhost>"
    assert first.get_payload() == second.get_payload()


# The same lease, in this process: a task row as a lost worker leaves it.


def welcome():
    return EmailMessage("Welcome", "Hello.", to=["reader@example.org"])


def left_running(result_id, *, ago, runs=1):
    """The task was claimed `ago` and its worker died (or is still at it)."""
    DBTaskResult.objects.filter(pk=result_id).update(
        status="RUNNING",
        started_at=timezone.now() - ago,
        worker_ids=[f"worker-{n}" for n in range(runs)],
    )


@pytest.mark.django_db
def test_an_email_sent_before_its_worker_was_lost_is_not_sent_again(task_queue, settings):
    settings.HUB_TASK_LEASE_SECONDS = 60
    queued = send_later(welcome())
    run_worker()
    assert len(mail.outbox) == 1
    # The worker had sent it, and recorded so, when it died: the row still says RUNNING.
    left_running(queued.id, ago=timedelta(minutes=5))

    run_worker()

    assert len(mail.outbox) == 1, "not sent a second time"
    result = DBTaskResult.objects.get(pk=queued.id)
    assert (result.status, result.return_value) == ("SUCCESSFUL", {"sent_before": True})
    assert SentEmail.objects.filter(task_result=result).count() == 1


@pytest.mark.django_db
def test_a_task_still_within_its_lease_is_left_to_its_worker(task_queue, settings):
    settings.HUB_TASK_LEASE_SECONDS = 60
    queued = send_later(welcome())
    left_running(queued.id, ago=timedelta(seconds=50))

    run_worker()

    assert DBTaskResult.objects.get(pk=queued.id).status == "RUNNING"
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_task_that_keeps_losing_its_worker_is_failed_not_run_again(task_queue, settings, caplog):
    settings.HUB_TASK_LEASE_SECONDS = 60
    queued = send_later(welcome())
    left_running(queued.id, ago=timedelta(minutes=2), runs=MAX_RUNS)

    assert recover_stalled() == (0, 1)
    run_worker()

    result = DBTaskResult.objects.get(pk=queued.id)
    assert result.status == "FAILED"
    assert result.exception_class_path == "common.tasks.WorkerLost"
    assert "stopped without finishing it 3 times" in result.traceback
    assert mail.outbox == []
    (error,) = [r for r in caplog.records if r.levelname == "ERROR"]
    assert f"Task {queued.id} (common.mail.deliver_email) failed" in error.message
