"""The editors' side of the site pages and contact messages, and the background work."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from common.mail import deliver_email
from common.tasks import TaskResultStatus
from hub.models import ContactMessage, Page
from hubs.scope import HubScopedAdmin


@admin.register(Page)
class PageAdmin(HubScopedAdmin, admin.ModelAdmin):
    list_display = ["title", "slug", "hub", "updated_at", "is_demo"]
    list_filter = ["hub"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["hub", "title", "slug", "body", "is_demo"]
    radio_fields = {"hub": admin.HORIZONTAL}


@admin.register(ContactMessage)
class ContactMessageAdmin(HubScopedAdmin, admin.ModelAdmin):
    """Each hub's contact messages, for the editors of that hub."""

    list_display = ["created_at", "hub", "subject", "name", "email", "handled"]
    list_filter = ["handled", "hub"]
    list_select_related = ["hub"]
    list_editable = ["handled"]
    search_fields = ["subject", "message", "email", "name"]
    readonly_fields = ["hub", "name", "email", "subject", "message", "created_at"]

    def has_add_permission(self, request):
        return False


admin.site.unregister(DBTaskResult)


class WorkFilter(admin.SimpleListFilter):
    """Emails apart from the rest of the background work (the desk's "Failed emails")."""

    title = _("work")
    parameter_name = "work"

    def lookups(self, request, model_admin):
        return [("email", _("Emails"))]

    def queryset(self, request, queryset):
        if self.value() == "email":
            return queryset.filter(task_path=deliver_email.module_path)
        return queryset


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    """django-tasks-db's read-only list of background work, plus what an operator needs for
    email: whom it was for, and a way to send failed ones again once the mail server works."""

    list_display = ["task_name", "email", "status", "enqueued_at", "finished_at", "retry_at"]
    list_filter = [WorkFilter, *DBTaskResultAdmin.list_filter]
    actions = ["send_again"]

    @admin.display(description=_("email"))
    def email(self, result):
        if result.task_path != deliver_email.module_path:
            return ""
        message, *attempt = result.args_kwargs["args"]
        if "subject" not in message:
            return _("(erased with its recipient’s account)")
        return _("“%(subject)s” to %(to)s (attempt %(attempt)s)") % {
            "subject": message["subject"],
            "to": ", ".join(message["to"]),
            "attempt": attempt[0] if attempt else 1,
        }

    @admin.display(description=_("waits until"))
    def retry_at(self, result):
        return self.display_run_after(result)

    @admin.action(description=_("Send the selected failed emails again"), permissions=["view"])
    def send_again(self, request, queryset):
        failed = queryset.filter(
            status=TaskResultStatus.FAILED, task_path=deliver_email.module_path
        )
        for result in failed:
            deliver_email.enqueue(result.args_kwargs["args"][0])
        self.message_user(
            request,
            ngettext("%d email queued again.", "%d emails queued again.", len(failed))
            % len(failed),
        )
