"""What bench/mixed.py does outside its clients: a Redis and a worker of its own to kill,
PostgreSQL's connections to drop, and checks run in Django against the bench database."""

import json
import signal
import subprocess
import time

import load
import psycopg

REDIS_PORT = 6391  # the bench's own Redis, which it kills: nobody else's


def start_redis():
    return subprocess.Popen(
        ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def start_worker(env):
    return subprocess.Popen(
        [load.PYTHON, "manage.py", "db_worker", "--no-reload"], cwd=load.ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def kill_and_restart(processes, name, start, seconds):
    """SIGKILL processes[name], and start it again `seconds` later."""
    processes[name].send_signal(signal.SIGKILL)
    processes[name].wait()
    time.sleep(seconds)
    processes[name] = start()


def drop_connections(database_url):
    """Terminate every connection to the bench database; how many there were."""
    server, _, name = database_url.rpartition("/")
    with psycopg.connect(server + "/postgres", autocommit=True) as admin:
        return admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()", [name],
        ).fetchone()[0]  # fmt: skip


def in_django(env, code):
    """Run `code` under the bench settings; what it printed last, as JSON."""
    out = subprocess.run(
        [load.PYTHON, "-c", code], cwd=load.ROOT, env=env, check=True, capture_output=True,
        text=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def check_emails(env, emails):
    """Let a worker finish the queue, then count the verification emails per sign-up."""
    code = f"""
import json, django
django.setup()
from common.models import SentEmail
from django_tasks_db.models import DBTaskResult
emails = {json.dumps(emails)}
tasks = DBTaskResult.objects.filter(task_path="common.mail.deliver_email")
per_address = {{e: 0 for e in emails}}
pending = tasks.filter(status__in=["READY", "RUNNING"]).count()
failed = tasks.filter(status="FAILED").count()
for task in tasks.filter(status="SUCCESSFUL"):
    for address in task.args_kwargs["args"][0]["to"]:
        if address in per_address:
            per_address[address] += 1
print(json.dumps({{"per_address": per_address, "pending": pending, "failed": failed,
                   "sent_records": SentEmail.objects.count()}}))
"""
    deadline = time.monotonic() + 120
    while True:
        subprocess.run(
            [load.PYTHON, "manage.py", "db_worker", "--batch", "--no-reload"], cwd=load.ROOT,
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        found = in_django(env, code)
        if not found["pending"] or time.monotonic() > deadline:
            return found
        time.sleep(2)
