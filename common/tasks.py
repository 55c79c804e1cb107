"""Django's tasks API, and trying a task again: later, when work fails outside our
control; and at once, when the worker running it was lost.

Import `task` and `TaskResultStatus` from here: they are Django's own (`django.tasks`)
from Django 6 and the django-tasks backport's on 5.2. django-tasks-db picks the same
way, so our tasks are always the kind its queue runs.

A worker killed mid-task (SIGKILL, out of memory, a machine gone) leaves its task's row
RUNNING for ever, so the task never finishes and nobody is told. Each task holds a lease:
a row RUNNING for longer than HUB_TASK_LEASE_SECONDS (longer than any task runs) lost
its worker, and `recover_stalled` makes it READY again, the same row, so the task keeps
its id. Tasks must therefore be safe to run twice: emails record that they were sent
(common.mail), image sizes and file deletions check what is already done. A task that
loses its worker MAX_RUNS times is failed instead, so a task that kills its worker
cannot take the queue down with it.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

try:
    from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task
except ImportError:  # Django 5.2; drop the backport with it
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task

__all__ = ["TaskResultStatus", "next_attempt", "recover_stalled", "task"]

logger = logging.getLogger(__name__)

MAX_RUNS = 3


class WorkerLost(Exception):
    """The worker running a task stopped without finishing it, MAX_RUNS times."""


def next_attempt(context, attempt, delays, *args):
    """Queue the running task again, with `args` and attempt + 1, after delays[attempt - 1];
    None when this was the last attempt, or when tasks run at once and cannot wait: then
    the caller gives up."""
    this = context.task_result
    if attempt > len(delays) or not this.task.get_backend().supports_defer:
        return None
    run_after = timezone.now() + delays[attempt - 1]
    queued = this.task.using(priority=this.task.priority, run_after=run_after)
    return queued.enqueue(*args, attempt + 1)


def recover_stalled(backend_name=DEFAULT_TASK_BACKEND_ALIAS):
    """Queue again (or fail, after MAX_RUNS) the tasks whose lease ran out; returns how many
    were queued again and how many failed."""
    lease = timedelta(seconds=settings.HUB_TASK_LEASE_SECONDS)
    cutoff = timezone.now() - lease
    stalled = DBTaskResult.objects.filter(
        backend_name=backend_name, status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    )
    requeued = failed = 0
    for result in stalled.only("id", "task_path", "started_at", "worker_ids"):
        # Only if no worker claimed it since it was read: a claim sets a new start time.
        still = stalled.filter(pk=result.pk)
        runs = len(result.worker_ids)
        if runs < MAX_RUNS:
            if still.update(status=TaskResultStatus.READY):
                requeued += 1
                logger.warning(
                    "Task %s (%s) has been running since %s, longer than its lease of %d s: "
                    "its worker was lost. Queued again (run %d of %d).",
                    result.pk,
                    result.task_path,
                    result.started_at.isoformat(timespec="seconds"),
                    lease.total_seconds(),
                    runs + 1,
                    MAX_RUNS,
                )
            continue
        why = (
            f"The worker running this task stopped without finishing it {runs} times "
            f"(each time it ran for longer than its lease of {lease.total_seconds():.0f} s). "
            "It is not run again: see why it stops its worker (memory, time) before "
            "queueing it again."
        )
        if still.update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=why,
        ):
            failed += 1
            logger.error("Task %s (%s) failed: %s", result.pk, result.task_path, why)
    return requeued, failed
