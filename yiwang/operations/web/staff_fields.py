"""Form fields of the staff pages: several photos in one input, org units to dispatch to."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from yiwang.core.models import OrgUnit
from yiwang.core.roles import OrgKind
from yiwang.core.uploads import detect
from yiwang.core.uploads.forms import ContentCheckedFileField


def max_photos() -> int:
    return int(getattr(settings, "OPERATIONS", {}).get("MAX_PHOTOS", 6))


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(ContentCheckedFileField):
    """Zero or more photos (JPEG, PNG, WebP), each checked by its content; cleans to a list."""

    def __init__(self, *, required: bool = False, camera: bool = False, **kwargs):
        attrs = {"capture": "environment"} if camera else {}
        kwargs.setdefault("widget", MultiplePhotoInput(attrs=attrs))
        super().__init__(kinds=detect.IMAGE_KINDS, required=required, **kwargs)

    def clean(self, data, initial=None):
        items = [d for d in (data if isinstance(data, list | tuple) else [data]) if d]
        if not items:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        limit = max_photos()
        if len(items) > limit:
            raise ValidationError(
                ngettext_lazy("Attach at most %(max)d photo.", "Attach at most %(max)d photos.", limit)
                % {"max": limit},
                code="too_many",
            )
        cleaned, errors = [], []
        for item in items:
            try:
                cleaned.append(super().clean(item, initial))
            except ValidationError as exc:
                name = getattr(item, "name", "")
                errors.extend(ValidationError(f"{name}: {m}") for m in exc.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


def current_units(*kinds: str):
    today = timezone.localdate()
    return (
        OrgUnit.objects.filter(kind__in=kinds, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
        .order_by("name", "code")
    )


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def department_field(**kwargs) -> OrgChoiceField:
    return OrgChoiceField(
        queryset=current_units(OrgKind.DEPARTMENT),
        label=_("Department"),
        empty_label=_("— by the routing rules —"),
        required=False,
        **kwargs,
    )


def team_field(**kwargs) -> OrgChoiceField:
    return OrgChoiceField(
        queryset=current_units(OrgKind.GRID_TEAM, OrgKind.GRID_CENTRE),
        label=_("Handling team"),
        empty_label=_("— none —"),
        required=False,
        **kwargs,
    )
