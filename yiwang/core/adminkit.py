"""Helpers for back-office (Django admin) pages of every context.

``AuditedModelAdmin`` routes the admin's writes through an action that saves and audits in one
transaction (the summary names the changed fields, never their values), and asks a named permission
check (``permission = may_manage_users`` etc.) instead of Django's per-model permissions.
``ReadOnlyModelAdmin`` is for histories nobody may change, superusers included.
"""

from __future__ import annotations

from django.contrib import admin

from yiwang.core.actions import action, record_event
from yiwang.core.actor import Actor, Channel


def admin_actor(request) -> Actor:
    return Actor.from_request(request, channel=Channel.ADMIN)


@action
def save_from_admin(actor: Actor, obj, *, changed: list[str], created: bool) -> None:
    obj.save()
    meta = obj._meta
    verb = "create" if created else "update"
    record_event(actor, f"{meta.app_label}.{meta.model_name}.{verb}", obj, after={"fields": sorted(changed)})


class AuditedModelAdmin(admin.ModelAdmin):
    """Writes go through :func:`save_from_admin`; ``permission(user) -> bool`` decides every access."""

    permission = staticmethod(lambda user: False)
    allow_delete = False

    def _allowed(self, request) -> bool:
        return bool(type(self).permission(request.user))

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self.allow_delete and self._allowed(request)

    def save_model(self, request, obj, form, change):
        save_from_admin(admin_actor(request), obj, changed=list(form.changed_data), created=not change)


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """Visible to whom ``permission(user)`` allows; no one may add, change or delete, superusers included."""

    permission = staticmethod(lambda user: False)

    def has_module_permission(self, request):
        return bool(type(self).permission(request.user))

    def has_view_permission(self, request, obj=None):
        return bool(type(self).permission(request.user))

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}
