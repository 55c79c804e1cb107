"""Trying a task again later: the queue's answer to work that fails outside our control."""

from django.utils import timezone


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
