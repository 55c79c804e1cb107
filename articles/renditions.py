"""The worker makes an image's renditions after it is saved, then marks it ready.

Cutting a lead image into ten sizes takes about a second and writes ten files to the
storage, which can fail outside our control: not work for the editor's save. When a
lead image or a photo is saved with a new file, its ready flag is cleared and a task
is queued in the same transaction (so it exists exactly when the save commits). The
worker makes every rendition and sets the flag; until then pages show the card's
pattern or the expert's initials, never a broken image. A storage failure is tried
again later, with growing delays. With tasks run at once (`make run`, the tests) the
sizes are made during the save, as before.
"""

import logging
from datetime import timedelta

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from imagekit.cachefiles import ImageCacheFile

from articles import images
from common.tasks import TaskResultStatus, next_attempt, task

logger = logging.getLogger(__name__)

RETRY_DELAYS = [timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1)]
_watched = {}  # "app_label.Model.field" -> (shape, name of the ready flag)


def make_when_saved(model, field_name, ready_field, shape):
    """Queue the renditions of `model.field_name` whenever it gets a new file."""
    label = f"{model._meta.label}.{field_name}"
    _watched[label] = (shape, ready_field)
    flag = f"_new_{field_name}"

    def before_save(sender, instance, update_fields=None, **kwargs):
        if update_fields is not None and field_name not in update_fields:
            return
        name = getattr(instance, field_name).name or ""
        stored = None
        if not instance._state.adding:
            stored = (
                sender._default_manager.filter(pk=instance.pk)
                .values_list(field_name, ready_field)
                .first()
            )
        if stored is not None and name == (stored[0] or ""):
            # The same image: keep the flag the worker may have set since this copy of
            # the row was read, rather than writing the copy's older value over it.
            setattr(instance, ready_field, stored[1])
        else:
            setattr(instance, ready_field, False)
            instance.__dict__[flag] = bool(name)

    def after_save(sender, instance, **kwargs):
        if instance.__dict__.pop(flag, False):
            name = getattr(instance, field_name).name
            result = make_renditions.enqueue(label, instance.pk, name)
            if result.status == TaskResultStatus.SUCCESSFUL:  # tasks run at once
                setattr(instance, ready_field, True)

    uid = f"renditions-{label}"
    pre_save.connect(before_save, sender=model, dispatch_uid=uid, weak=False)
    post_save.connect(after_save, sender=model, dispatch_uid=uid, weak=False)


def make_now(instance, field_name):
    """Make the sizes of `instance`'s image here and now (the demo loader, which must
    leave pictures ready without a worker); the queued task then finds them made."""
    label = f"{instance._meta.label}.{field_name}"
    _make(label, instance.pk, getattr(instance, field_name).name)
    instance.refresh_from_db(fields=[_watched[label][1]])


def _make(label, pk, name):
    """Make the renditions of the image `name` that row `pk` holds, then mark it ready;
    False when there is nothing to do (the row is gone, has another image, or is ready)."""
    model_label, field_name = label.rsplit(".", 1)
    shape, ready_field = _watched[label]
    instance = apps.get_model(model_label)._default_manager.filter(pk=pk).first()
    if instance is None or getattr(instance, field_name).name != name:
        return False  # deleted, or replaced again: that save queued its own
    if getattr(instance, ready_field):
        return False
    source = getattr(instance, field_name)
    for spec in images.specs_of(shape):
        rendition = ImageCacheFile(spec(source=source))
        if rendition.storage.exists(rendition.name):  # a part-made earlier try: storages
            rendition.storage.delete(rendition.name)  # save beside a file, not over it
        rendition.generate(force=True)
    model = type(instance)
    with transaction.atomic():
        # The editor may have replaced the image while the sizes were made: mark the row
        # ready only if it still holds this image (their save queued its own task).
        locked = model._default_manager.select_for_update().filter(pk=pk)
        if locked.values_list(field_name, flat=True).first() != name:
            return False
        setattr(instance, ready_field, True)
        instance.save(update_fields=[ready_field])  # pages showing it are made again
    return True


@task(takes_context=True)
def make_renditions(context, label, pk, name, attempt=1):
    """The worker's task: _make(), tried again later when the storage fails."""
    try:
        made = _make(label, pk, name)
    except Exception as error:
        retry = next_attempt(context, attempt, RETRY_DELAYS, label, pk, name)
        if retry is None:
            logger.error(
                "Gave up making the sizes of %s after %d attempt(s): %r", name, attempt, error
            )
            raise
        logger.warning("Could not make the sizes of %s (attempt %d): %r", name, attempt, error)
        return {"retry_at": retry.task.run_after.isoformat(), "error": repr(error)}
    return {"made" if made else "skipped": name}
