"""The tasks API is Django's own from Django 6 and the django-tasks backport's on 5.2:
django-tasks-db's queue runs the one that is there, so ours must be the same."""

import django
from django.conf import settings
from django_tasks_db import compat

from common.mail import deliver_email
from newsletter.digest import send_issue_to


def test_our_tasks_are_the_kind_the_database_queue_runs():
    for our_task in (deliver_email, send_issue_to):
        assert isinstance(our_task, compat.Task)
        assert type(our_task).__module__.startswith(f"{settings.HUB_TASKS_MODULE}.")


def test_the_backport_is_installed_only_before_django_6():
    backport = django.VERSION < (6, 0)
    module = settings.HUB_TASKS_MODULE

    assert module == "django_tasks" if backport else module == "django.tasks"
    assert ("django_tasks" in settings.INSTALLED_APPS) is backport
