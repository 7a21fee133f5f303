"""Django's ModelBackend, with each request's user read by a plain prepared statement.

``get_user`` runs on every authenticated request; Django's compiles an ORM query each time
(``User.objects.get(pk=…)``). This one reads the same row with :func:`yiwang.core.plainread.fetch` and
applies the same rule (an inactive user is nobody). Authentication, permissions and the session's
password hash check are Django's, unchanged.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from yiwang.core import plainread

DJANGO_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"  # what sessions made before this named
MODEL_BACKEND = "yiwang.core.identity.backends.ModelBackend"


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except Exception:  # noqa: BLE001 - a malformed id in a session is nobody, as with Django's
            return None
        user = plainread.fetch(model, model._meta.pk.name, pk)
        return user if user is not None and self.user_can_authenticate(user) else None
