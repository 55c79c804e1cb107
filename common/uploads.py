"""A replaced or deleted upload leaves no file behind.

Django keeps an upload's file when its row is deleted or the field gets a new file, so
a lead image an editor took down stayed public at its old address, with every
rendition made from it, and storage only grew. `remove_old_files(model, field)`
connects a model's file field to the task queue: once a save that replaced the file,
or a delete, commits, a task deletes the old file and the files made from it (image
renditions, named by `derived`). Nothing is deleted for work that rolls back, and a
file that another row still names (the admin's "save as new" copies the name) is
kept. A storage failure is tried again later, with growing delays.
"""

import logging
import posixpath
from datetime import timedelta

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from common.tasks import next_attempt, task

logger = logging.getLogger(__name__)

RETRY_DELAYS = [timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1)]
_fields = {}  # "app_label.Model.field" -> function naming the files made from a file


def remove_old_files(model, field_name, derived=None):
    """Delete `model.field_name`'s old file (and `derived(name)`'s) when it is replaced
    or its row deleted, after the change commits."""
    label = f"{model._meta.label}.{field_name}"
    _fields[label] = derived or (lambda name: [])

    def before_save(sender, instance, update_fields=None, **kwargs):
        old = None
        if update_fields is not None and field_name not in update_fields:
            pass  # the file is not being written
        elif instance.pk is not None and not instance._state.adding:
            old = (
                sender._default_manager.filter(pk=instance.pk)
                .values_list(field_name, flat=True)
                .first()
            )
        instance.__dict__[f"_old_{field_name}"] = old

    def after_save(sender, instance, **kwargs):
        old = instance.__dict__.pop(f"_old_{field_name}", None)
        if old and old != getattr(instance, field_name).name:
            _delete_after_commit(label, old)

    def after_delete(sender, instance, **kwargs):
        name = getattr(instance, field_name).name
        if name:
            _delete_after_commit(label, name)

    uid = f"uploads-{label}"
    pre_save.connect(before_save, sender=model, dispatch_uid=uid, weak=False)
    post_save.connect(after_save, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(after_delete, sender=model, dispatch_uid=uid, weak=False)


def _delete_after_commit(label, name):
    transaction.on_commit(lambda: delete_files.enqueue(label, name))


def still_used(name):
    """Whether any watched field of any row names the file."""
    for label in _fields:
        model_label, field_name = label.rsplit(".", 1)
        model = apps.get_model(model_label)
        if model._default_manager.filter(**{field_name: name}).exists():
            return True
    return False


@task(takes_context=True)
def delete_files(context, label, name, attempt=1):
    """Delete an upload no row names any more, and the files made from it."""
    if still_used(name):
        return {"kept": name}
    model_label, field_name = label.rsplit(".", 1)
    model = apps.get_model(model_label)
    storage = model._meta.get_field(field_name).storage
    names = [name]
    # Files made from an upload are named by its stem: an older upload with the same
    # stem and another extension (photo.jpg, photo.png) still uses them.
    stem = posixpath.splitext(name)[0]
    if not model._default_manager.filter(**{f"{field_name}__startswith": f"{stem}."}).exists():
        names += _fields[label](name)
    try:
        deleted = [each for each in names if storage.exists(each)]
        for each in deleted:
            storage.delete(each)
    except Exception as error:
        retry = next_attempt(context, attempt, RETRY_DELAYS, label, name)
        if retry is None:
            logger.error(
                "Gave up deleting %s (%s) after %d attempt(s): %r", name, label, attempt, error
            )
            raise
        logger.warning("Could not delete %s (attempt %d): %r; trying again", name, attempt, error)
        return {"retry_at": retry.task.run_after.isoformat(), "error": repr(error)}
    return {"deleted": deleted}
