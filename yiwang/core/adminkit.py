"""Helpers for back-office (Django admin) pages of every context.

The admin is a write path too, so it follows the house rule: every write is an action that saves and
writes its audit row in one transaction, or the admin is read-only.

``AuditedModelAdmin`` routes every write the admin can make — add, change (the change form and the
list's editable columns), delete, the bulk "delete selected" action, inline rows added, changed or
deleted — through the actions below. Each audit row names the model and the object's id; its summary
holds the changed fields' *names* (never their values, so no personal data reaches the trail), the
parent object of an inline row, and for a delete the rows removed per model. Every access asks a named
permission check (``permission = may_manage_users`` etc.) instead of Django's per-model permissions;
deleting needs ``allow_delete = True`` as well.

``ReadOnlyModelAdmin`` is for histories nobody may change (audit rows, observations, login records),
superusers included. ``AuditedTabularInline``/``AuditedStackedInline`` give inline rows the parent
admin's permission check (Django's would ask per-model permissions nobody is granted).

tests/core/test_admin_every_write_is_audited.py walks the admin registry: a registered admin that is
neither audited nor read-only fails the suite.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from yiwang.core.actions import action, record_event
from yiwang.core.actor import Actor, Channel

# the ModelAdmin methods through which the admin writes; an audited admin's must come from AuditedModelAdmin
WRITE_HOOKS = ("save_model", "save_formset", "delete_model", "delete_queryset")


def admin_actor(request) -> Actor:
    return Actor.from_request(request, channel=Channel.ADMIN)


def _ref(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


@action
def save_from_admin(actor: Actor, obj, *, changed: list[str], created: bool, parent=None) -> None:
    """Save ``obj`` and write one audit row naming the changed fields (and the parent of an inline row)."""
    obj.save()
    meta = obj._meta
    verb = "create" if created else "update"
    after: dict = {"fields": sorted(changed)}
    if parent is not None:
        after["in"] = _ref(parent)
    record_event(actor, f"{meta.app_label}.{meta.model_name}.{verb}", obj, after=after)


@action
def delete_from_admin(actor: Actor, obj, *, parent=None) -> None:
    """Delete ``obj`` and write one audit row with the number of rows removed per model (cascades included)."""
    object_type, object_id = obj._meta.label_lower, str(obj.pk)
    _total, counts = obj.delete()
    after: dict = {"deleted": {label: n for label, n in sorted(counts.items()) if n}}
    if parent is not None:
        after["in"] = _ref(parent)
    record_event(actor, f"{object_type}.delete", (object_type, object_id), after=after)


@action
def delete_many_from_admin(actor: Actor, objs) -> int:
    """The bulk "delete selected" action: all or nothing, one audit row per object."""
    count = 0
    for obj in objs:
        delete_from_admin(actor, obj)
        count += 1
    return count


@action
def save_inline_from_admin(actor: Actor, formset) -> None:
    """An inline formset's rows: each added, changed or deleted row through the audited actions above."""
    parent = formset.instance
    formset.save(commit=False)  # builds the instances; deletes nothing, saves nothing
    for obj in formset.deleted_objects:
        delete_from_admin(actor, obj, parent=parent)
    for form in formset.saved_forms:
        obj = form.instance
        save_from_admin(actor, obj, changed=list(form.changed_data), created=obj._state.adding, parent=parent)
    formset.save_m2m()


class AuditedModelAdmin(admin.ModelAdmin):
    """Writes go through the audited actions; ``permission(user) -> bool`` decides every access."""

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

    def save_formset(self, request, form, formset, change):
        save_inline_from_admin(admin_actor(request), formset)

    def delete_model(self, request, obj):
        delete_from_admin(admin_actor(request), obj)

    def delete_queryset(self, request, queryset):
        delete_many_from_admin(admin_actor(request), list(queryset))


class AuditedInlineMixin:
    """An inline row may be seen and edited by whoever may edit its parent (saved by the parent's admin)."""

    def _parent_allows(self, request) -> bool:
        parent = self.admin_site._registry.get(self.parent_model)
        return isinstance(parent, AuditedModelAdmin) and parent._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._parent_allows(request)

    def has_add_permission(self, request, obj=None):
        return self._parent_allows(request)

    def has_change_permission(self, request, obj=None):
        return self._parent_allows(request)

    def has_delete_permission(self, request, obj=None):
        return self._parent_allows(request)


class AuditedTabularInline(AuditedInlineMixin, admin.TabularInline):
    pass


class AuditedStackedInline(AuditedInlineMixin, admin.StackedInline):
    pass


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

    # never reached while the permissions above say no; a refusal if a subclass forgets one
    def save_model(self, request, obj, form, change):
        raise PermissionDenied

    def save_formset(self, request, form, formset, change):
        raise PermissionDenied

    def delete_model(self, request, obj):
        raise PermissionDenied

    def delete_queryset(self, request, queryset):
        raise PermissionDenied
