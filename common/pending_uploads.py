"""An upload kept across a form error.

A browser cannot put a chosen file back into a file input, so when a form with a file
fails on another field the file is stored under `pending/` with a random name, through
the storage API, and the page carries a signed reference to it in a hidden field
(KeptFileInput). The next submit without a new file uses it: it goes through the
field's own validation as a fresh upload would (format, extension), then the pending
copy is deleted. A reference older than MAX_AGE is refused, and a task queued for
then deletes the file if nobody used it (where tasks run at once and cannot wait,
keeping a file sweeps the stale ones instead).
"""

import logging
import posixpath
import secrets
from datetime import timedelta

from django.contrib.admin.widgets import AdminFileWidget
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.tasks import task

logger = logging.getLogger(__name__)

PREFIX = "pending/"
MAX_AGE = timedelta(days=1)
SALT = "common.pending_uploads"


def keep(upload, storage=default_storage):
    """Store `upload` under pending/ and return the signed reference to it."""
    extension = posixpath.splitext(upload.name)[1].lower()[:10]
    upload.seek(0)
    name = storage.save(f"{PREFIX}{secrets.token_urlsafe(18)}{extension}", upload)
    upload.seek(0)
    _forget_later(name, storage)
    return signing.dumps(
        {"name": name, "original": upload.name, "type": upload.content_type}, salt=SALT
    )


def reference(token, storage=default_storage):
    """The kept file's details ({"name", "original", "type"}) for a valid, unexpired
    reference to a file still stored, else None."""
    try:
        kept = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    name = kept.get("name", "") if isinstance(kept, dict) else ""
    if not name.startswith(PREFIX) or ".." in name or not storage.exists(name):
        return None
    return kept


def upload_of(kept, storage=default_storage):
    """The kept file as an upload, under the name the editor chose."""
    with storage.open(kept["name"], "rb") as file:
        content = file.read()
    return SimpleUploadedFile(kept["original"], content, kept.get("type") or None)


def forget(name, storage=default_storage):
    if name.startswith(PREFIX) and storage.exists(name):
        storage.delete(name)


@task()
def forget_pending_upload(name):
    """Delete a kept file nobody used (used ones are gone already)."""
    forget(name)
    return {"name": name}


def _forget_later(name, storage):
    if storage is default_storage and forget_pending_upload.get_backend().supports_defer:
        when = timezone.now() + MAX_AGE + timedelta(minutes=5)
        forget_pending_upload.using(run_after=when).enqueue(name)
    else:
        sweep(storage)


def sweep(storage=default_storage):
    """Delete kept files older than MAX_AGE; returns their names."""
    try:
        _dirs, files = storage.listdir(PREFIX.rstrip("/"))
    except FileNotFoundError:
        return []
    cutoff = timezone.now() - MAX_AGE
    stale = [PREFIX + f for f in files if storage.get_modified_time(PREFIX + f) < cutoff]
    for name in stale:
        storage.delete(name)
    return stale


class KeptFileInput(AdminFileWidget):
    """The admin's file input that carries a kept file (see above) across a form error:
    a hidden field with its reference and a line saying which file is kept."""

    # One <label for> the file input, as on Django 5.2: Django 6's admin would wrap it
    # in a fieldset whose <legend> carries a `for` (not valid HTML).
    use_fieldset = False

    def __init__(self, attrs=None, storage=default_storage):
        super().__init__(attrs)
        self.storage = storage
        self.kept = None  # {"token", "original"} once the page keeps a file
        self.used = None  # the kept file's details, when this submit used it

    def kept_name(self, name):
        return f"{name}__kept"

    def value_from_datadict(self, data, files, name):
        upload = super().value_from_datadict(data, files, name)
        self.used = None
        if upload is None:
            kept = reference(data.get(self.kept_name(name), ""), self.storage)
            if kept is not None:
                self.used = {**kept, "token": data[self.kept_name(name)]}
                return upload_of(kept, self.storage)
        return upload

    def keep(self, upload):
        """Keep this submit's file (or the one it reused) for the page that shows errors."""
        token = self.used["token"] if self.used is not None else keep(upload, self.storage)
        self.kept = {"token": token, "original": upload.name}

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.kept:
            return html
        return format_html(
            '{}<input type="hidden" name="{}" value="{}"><p class="kept-upload">{}</p>',
            html,
            self.kept_name(name),
            self.kept["token"],
            _("Kept: %(name)s (choose another to replace it)") % {"name": self.kept["original"]},
        )


class KeepsUploads:
    """For a ModelAdmin whose file fields use KeptFileInput: on a page that shows errors,
    keep each file that passed its own field's checks; after a save, delete the kept
    copies used."""

    def render_change_form(self, request, context, *args, **kwargs):
        form = context.get("adminform") and context["adminform"].form
        if request.method == "POST" and form is not None and context.get("errors"):
            for name, field in form.fields.items():
                widget = field.widget
                if not isinstance(widget, KeptFileInput) or name in form.errors:
                    continue
                upload = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
                if isinstance(upload, UploadedFile):
                    widget.keep(upload)
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for field in form.fields.values():
            used = getattr(field.widget, "used", None)
            if isinstance(field.widget, KeptFileInput) and used:
                name, storage = used["name"], field.widget.storage
                transaction.on_commit(lambda name=name, storage=storage: forget(name, storage))
