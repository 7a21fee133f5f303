"""Open311 API keys in the back office: issue (the key is shown once), edit, revoke."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from yiwang.core.actions import ActionError
from yiwang.core.adminkit import AuditedModelAdmin, ReadOnlyModelAdmin, admin_actor

from .keys import issue_key, may_manage_keys, revoke_key
from .models import ApiKey, QueuedRequest, Submission


@admin.register(ApiKey)
class ApiKeyAdmin(AuditedModelAdmin):
    permission = staticmethod(may_manage_keys)
    list_display = ("name", "prefix", "contact", "reply_with_token", "created_at", "last_used_at", "revoked_at")
    list_filter = ("reply_with_token",)
    search_fields = ("name", "prefix", "contact")
    fields = ("name", "contact", "note", "reply_with_token", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields + (("name",) if obj is not None else ())

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        row, secret = issue_key(
            admin_actor(request),
            name=obj.name,
            contact=obj.contact,
            note=obj.note,
            reply_with_token=obj.reply_with_token,
        )
        obj.pk, obj.prefix, obj.key_hash, obj.created_at = row.pk, row.prefix, row.key_hash, row.created_at
        obj._state.adding = False
        messages.warning(
            request,
            _("The API key of “%(name)s” is %(key)s — copy it now: it is not stored and will not be shown again.")
            % {"name": row.name, "key": secret},
        )

    @admin.action(description=_("Revoke the selected keys 吊销所选密钥"))
    def revoke(self, request, queryset):
        done = 0
        for key in queryset.filter(revoked_at__isnull=True):
            try:
                revoke_key(admin_actor(request), key)
                done += 1
            except ActionError as exc:
                self.message_user(request, str(exc.message), messages.ERROR)
        self.message_user(request, ngettext("%(n)d key revoked.", "%(n)d keys revoked.", done) % {"n": done})


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyModelAdmin):
    """Which client reported which case (the reporter's e-mail, device and account stay hidden here)."""

    permission = staticmethod(may_manage_keys)
    list_display = ("token", "case", "api_key", "created_at")
    list_filter = ("api_key",)
    search_fields = ("token", "case__code")
    fields = ("token", "case", "api_key", "address_id", "zipcode", "media_url", "created_at")
    readonly_fields = fields


@admin.register(QueuedRequest)
class QueuedRequestAdmin(ReadOnlyModelAdmin):
    """Queued POSTs not registered yet, and those refused at registration (with the reason)."""

    permission = staticmethod(may_manage_keys)
    list_display = ("token", "state", "api_key", "received_at", "attempts", "refusal")
    list_filter = ("state", "api_key")
    search_fields = ("token",)
    fields = ("token", "state", "api_key", "received_at", "attempts", "refusal", "category_id", "lon", "lat",
              "coord_system", "address", "description")  # fmt: skip
    readonly_fields = fields
