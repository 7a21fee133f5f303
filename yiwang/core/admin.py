"""The back office for people: users (personal data masked), org units, role assignments, login records."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import action, record_event
from yiwang.core.adminkit import AuditedModelAdmin, ReadOnlyModelAdmin, admin_actor
from yiwang.core.identity.forms import ThrottledAdminAuthenticationForm
from yiwang.core.masking import mask_id_number, mask_ip, mask_phone
from yiwang.core.models import LoginLockout, LoginRecord, OrgUnit, RoleAssignment, User
from yiwang.core.permissions import Purpose, may_manage_users, may_view_personal_data

# the back office's login counts failures and honours lockouts like the login page (identity/throttle.py)
admin.site.login_form = ThrottledAdminAuthenticationForm

# roles are RoleAssignments (audited below); Django's groups are unused and their admin would be an unaudited write
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@action
def record_personal_data_read(actor, subject, purpose: str) -> None:
    """Every full read of a person's record by staff leaves an audit row."""
    record_event(actor, "core.user.read_personal_data", subject, after={"purpose": purpose})


@action
def record_password_set(actor, subject) -> None:
    record_event(actor, "core.user.set_password", subject, after={"by": "admin"})


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ("role", "org_unit", "active", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("org_unit",)

    def has_view_permission(self, request, obj=None):
        return may_manage_users(request.user)

    def has_add_permission(self, request, obj=None):
        return may_manage_users(request.user)

    def has_change_permission(self, request, obj=None):
        return may_manage_users(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: the history of who held which role stays


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    permission = staticmethod(may_manage_users)
    list_display = ("username", "display_name", "masked_phone", "masked_id_number", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "role_assignments__role")
    search_fields = ("username", "display_name")
    ordering = ("username",)
    inlines = [RoleAssignmentInline]
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "display_name", "password1", "password2")}),)

    @admin.display(description=_("phone 手机号"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)

    @admin.display(description=_("verified ID number 已核验身份证号"))
    def masked_id_number(self, obj):
        return mask_id_number(obj.verified_id_number)

    def _sees_personal_data(self, request, obj) -> bool:
        return obj is not None and may_view_personal_data(request.user, Purpose.ACCOUNT, subject=obj)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        if self._sees_personal_data(request, obj):
            personal = ("phone", "verified_id_number", "id_verified_at")
        else:
            personal = ("masked_phone", "masked_id_number", "id_verified_at")
        return (
            (None, {"fields": ("username", "password")}),
            (_("Person 个人信息"), {"fields": ("display_name", "email", "preferred_language", *personal)}),
            (_("Sign-in 登录"), {"fields": ("oidc_subject", "is_active", "is_staff", "last_login", "date_joined")}),
        )

    def get_readonly_fields(self, request, obj=None):
        # an ID number is set only from a verified source (OIDC, card reader), never typed in
        fields = ["verified_id_number", "id_verified_at", "masked_phone", "masked_id_number", "last_login"]
        fields.append("date_joined")
        return fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if request.method == "GET" and obj is not None and self._sees_personal_data(request, obj):
            if obj.pk != request.user.pk:
                record_personal_data_read(admin_actor(request), obj, Purpose.ACCOUNT)
        return super().change_view(request, object_id, form_url, extra_context)

    def user_change_password(self, request, id, form_url=""):
        # the password form saves on its own: wrap it so the change and its audit row commit together
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                record_password_set(admin_actor(request), self.get_object(request, id))
        return response


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedModelAdmin):
    permission = staticmethod(may_manage_users)
    list_display = ("code", "name", "kind", "territory_code", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("code", "name", "name_en", "territory_code")
    autocomplete_fields = ("parent",)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedModelAdmin):
    permission = staticmethod(may_manage_users)
    list_display = ("user", "role", "org_unit", "active", "created_at")
    list_filter = ("role", "active")
    search_fields = ("user__username", "user__display_name", "org_unit__name", "org_unit__code")
    autocomplete_fields = ("user", "org_unit")


@admin.register(LoginRecord)
class LoginRecordAdmin(ReadOnlyModelAdmin):
    permission = staticmethod(may_manage_users)
    list_display = ("at", "user", "username_masked", "outcome", "method", "assurance", "masked_ip")
    list_filter = ("outcome", "method", "assurance")
    search_fields = ("user__username",)
    fields = ("at", "user", "username_masked", "outcome", "method", "assurance", "masked_ip")
    readonly_fields = fields

    @admin.display(description=_("client address 客户端地址"))
    def masked_ip(self, obj):
        return mask_ip(obj.client_ip)


@admin.register(LoginLockout)
class LoginLockoutAdmin(ReadOnlyModelAdmin):
    permission = staticmethod(may_manage_users)
    list_display = ("started_at", "until", "scope", "label", "failures")
    list_filter = ("scope",)
    fields = list_display
    readonly_fields = fields
