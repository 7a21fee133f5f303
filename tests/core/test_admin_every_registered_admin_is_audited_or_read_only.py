"""The admin is a write path too: every registered model admin either writes through the audited actions
(yiwang.core.adminkit.AuditedModelAdmin) or lets nobody — superusers included — add, change or delete."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from yiwang.core.adminkit import WRITE_HOOKS, AuditedModelAdmin
from yiwang.core.models import User


def _superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = User(username="root", is_superuser=True, is_staff=True, is_active=True)
    return request


def _defined_by(model_admin, name: str) -> type:
    return next(klass for klass in type(model_admin).__mro__ if name in vars(klass))


def _is_read_only(model_admin) -> bool:
    request = _superuser_request()
    return not (
        model_admin.has_add_permission(request)
        or model_admin.has_change_permission(request)
        or model_admin.has_delete_permission(request)
        or model_admin.get_actions(request)
    )


REGISTRY = sorted(admin.site._registry.items(), key=lambda kv: kv[0]._meta.label)


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=[m._meta.label for m, _ in REGISTRY])
def test_each_admin_is_audited_or_read_only(model, model_admin):
    if isinstance(model_admin, AuditedModelAdmin):
        for hook in WRITE_HOOKS:  # a mixin ahead of the audited base must not bring back Django's plain save
            assert issubclass(_defined_by(model_admin, hook), AuditedModelAdmin), (
                f"{type(model_admin).__name__}.{hook} for {model._meta.label} bypasses the audited base"
            )
    else:
        assert _is_read_only(model_admin), (
            f"{type(model_admin).__module__}.{type(model_admin).__name__} for {model._meta.label} lets a "
            "superuser write without an audit row: inherit yiwang.core.adminkit.AuditedModelAdmin or make it "
            "read-only (ReadOnlyModelAdmin)"
        )


def test_the_walk_catches_a_plain_admin():
    """The check above is not vacuous: Django's plain ModelAdmin fails it."""
    model, _ = REGISTRY[0]
    plain = admin.ModelAdmin(model, admin.site)
    assert not isinstance(plain, AuditedModelAdmin)
    assert not _is_read_only(plain)


def test_the_walk_catches_a_mixin_that_brings_back_the_plain_delete():
    class PlainDelete:
        def delete_model(self, request, obj):
            obj.delete()

    class Sneaky(PlainDelete, AuditedModelAdmin):
        pass

    model, _ = REGISTRY[0]
    assert not issubclass(_defined_by(Sneaky(model, admin.site), "delete_model"), AuditedModelAdmin)


def test_unused_django_groups_are_not_an_unaudited_back_door():
    from django.contrib.auth.models import Group

    assert not admin.site.is_registered(Group)


def test_read_only_admins_stay_closed_to_anonymous_requests():
    request = RequestFactory().get("/admin/")
    request.user = AnonymousUser()
    for _model, model_admin in REGISTRY:
        assert not model_admin.has_change_permission(request)
