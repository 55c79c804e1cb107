"""Django's tasks API, and trying a task again later: the queue's answer to work that
fails outside our control.

Import `task` and `TaskResultStatus` from here: they are Django's own (`django.tasks`)
from Django 6 and the django-tasks backport's on 5.2. django-tasks-db picks the same
way, so our tasks are always the kind its queue runs.
"""

from django.utils import timezone

try:
    from django.tasks import TaskResultStatus, task
except ImportError:  # Django 5.2; drop the backport with it
    from django_tasks import TaskResultStatus, task

__all__ = ["TaskResultStatus", "next_attempt", "task"]


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
