"""Back office: licences and signing keys, read-only (writes go through the actions and the CLI)."""

from django.contrib import admin

from yiwang.core.adminkit import ReadOnlyModelAdmin
from yiwang.core.roles import Role
from yiwang.core.scope import has_role, is_active_user

from .models import Licence, SigningKey


def may_view_licences(user) -> bool:
    if not is_active_user(user) or not user.is_staff:
        return False
    return user.is_superuser or has_role(user, Role.APPROVER, Role.SYSTEM_ADMIN, Role.DATA_STEWARD)


def may_view_keys(user) -> bool:
    if not is_active_user(user) or not user.is_staff:
        return False
    return user.is_superuser or has_role(user, Role.SYSTEM_ADMIN)


@admin.register(Licence)
class LicenceAdmin(ReadOnlyModelAdmin):
    permission = staticmethod(may_view_licences)
    list_display = (
        "number",
        "licence_type",
        "holder_name_masked",
        "holder_id_masked",
        "issuer_name",
        "valid_until",
        "status",
    )
    list_filter = ("status", "licence_type")
    search_fields = ("number",)
    # never the sealed token nor the holder hash
    fields = (
        "jti", "number", "licence_type", "holder_name_masked", "holder_id_masked", "issuer_code", "issuer_name",
        "valid_from", "valid_until", "issued_at", "algorithm", "signing_key", "about_type", "about_id", "status",
        "revoked_at", "revocation_reason",
    )  # fmt: skip


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnlyModelAdmin):
    permission = staticmethod(may_view_keys)
    list_display = ("kid", "algorithm", "status", "created_at", "retired_at")
    fields = ("kid", "algorithm", "status", "created_at", "retired_at", "public_jwk")  # never the sealed private key
