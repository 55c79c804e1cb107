"""Authentication backends whose get_user() is answered from common.memo.

Django asks the session's backend for the logged-in user on every request. These read
the user's row once per app server and keep its values until a change to the row is
heard (a trigger on the table tells every server when it commits, whether the change
was a save(), a queryset's update() or raw SQL), then build a fresh User from them for
each request: nothing a request does to its user (a permission cache) reaches another.
Permissions are not kept: has_perm() reads them as ModelBackend always does.
"""

import functools

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from common import memo

USER = "user"  # the name of a reader's row among their kept values


def _user_model_fields():
    """The user model's fields with a column (many-to-many ones have none: a join to
    them would only repeat the row)."""
    model = get_user_model()
    return [f for f in model._meta.get_fields() if f.concrete and not f.many_to_many]


@functools.cache
def user_fields():
    """The user model's attributes, in the order its kept row holds their values."""
    return tuple(field.attname for field in _user_model_fields())


@functools.cache
def user_columns():
    """The same, as the table's column names (for SQL of one's own)."""
    return tuple(field.column for field in _user_model_fields())


class KeptUserMixin:
    def get_user(self, user_id):
        model = get_user_model()
        fields = user_fields()

        def row():
            try:
                values = model._default_manager.filter(pk=user_id).values_list(*fields).first()
            except (TypeError, ValueError):  # a session naming no valid id
                return None
            return tuple(values) if values is not None else None

        # The id as the session holds it ("12"), as the table's trigger names it.
        values = memo.personal(memo.reader_tag(user_id), USER, row)
        if values is None:
            return None
        user = model.from_db(model._default_manager.db, fields, values)
        return user if self.user_can_authenticate(user) else None


class ModelBackend(KeptUserMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(KeptUserMixin, AllauthBackend):
    pass
