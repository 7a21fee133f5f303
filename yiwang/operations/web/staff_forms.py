"""One small form per case action: the fields the action needs, the version the user saw, and the call.

Each form carries the case's ``version`` as the page showed it; the action refuses with ``Conflict`` when
someone else changed the case in between, so no update is ever lost. ``perform`` runs the uploads and the
action in one transaction: a refused action keeps none of the photos' rows.
"""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yiwang.core.uploads.actions import store_upload

from .. import actions as ops
from .. import sla
from ..actions.handling import MAX_EXTENSION_DAYS, MAX_EXTENSION_HOURS
from ..models import Case
from ..queries import case_by_code
from ..workflow import A
from .staff_fields import PhotosField, department_field, team_field

TEXT_MAX = 2000
SPLIT_PARTS = 4


def _text(label, *, required: bool, rows: int = 2, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        strip=True,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def store_photos(actor, files, purpose: str) -> list:
    """Keep each photo through the uploads service (content-checked, metadata stripped); returns StoredFiles."""
    return [store_upload(actor, f, purpose=purpose) for f in files]


class ActionForm(forms.Form):
    """Base: the hidden version, the error mapping from ``ActionError.field`` and the transaction."""

    multipart = False
    danger = False
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # ActionError.field → form field
    field_map: dict[str, str] = {}

    def __init__(self, data=None, files=None, *, case: Case, action: str, fn, **kwargs):
        self.case, self.action, self.fn = case, action, fn
        kwargs.setdefault("prefix", action)
        kwargs.setdefault("initial", {})["version"] = case.version
        super().__init__(data, files, **kwargs)

    def run(self, actor, version: int):
        raise NotImplementedError

    def perform(self, actor):
        with transaction.atomic():
            return self.run(actor, self.cleaned_data["version"])

    def add_action_error(self, exc) -> None:
        name = self.field_map.get(exc.field or "", exc.field)
        self.add_error(name if name in self.fields else None, exc.message)


class NoteForm(ActionForm):
    """accept, register, start handling, resume, close, grant an extension: an optional note."""

    note = _text(_("Note (optional)"), required=False)
    field_map = {"reason": "note"}

    def run(self, actor, version):
        return self.fn(actor, self.case, note=self.cleaned_data["note"], expected_version=version)


class ReasonForm(ActionForm):
    """reject, return (退单), refuse an extension, suspend, reopen: the reason is required."""

    reason = _text(_("Reason"), required=True)

    def run(self, actor, version):
        return self.fn(actor, self.case, reason=self.cleaned_data["reason"], expected_version=version)


class SuperviseForm(ActionForm):
    note = _text(_("Supervision instruction"), required=True)

    def run(self, actor, version):
        return self.fn(actor, self.case, note=self.cleaned_data["note"], expected_version=version)


class DispatchForm(ActionForm):
    """派遣: a department and/or a team; both empty dispatches where the routing rules send the case."""

    note = _text(_("Note to the handler (optional)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"] = department_field()
        self.fields["team"] = team_field()
        self.order_fields(["department", "team", "note", "version"])

    def run(self, actor, version):
        data = self.cleaned_data
        return self.fn(
            actor,
            self.case,
            department=data["department"],
            team=data["team"],
            note=data["note"],
            expected_version=version,
        )


class ExtensionForm(ActionForm):
    """延期: the reason and the time asked for, in the unit of the case's handling clock."""

    reason = _text(_("Reason for the extension"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.hours = sla.clock_spec(self.case.category, sla.HANDLE).unit == sla.CALENDAR_HOURS
        top = MAX_EXTENSION_HOURS if self.hours else MAX_EXTENSION_DAYS
        label = _("Extra hours asked for") if self.hours else _("Extra working days asked for")
        self.fields["amount"] = forms.IntegerField(label=label, min_value=1, max_value=top)
        self.order_fields(["amount", "reason", "version"])
        self.field_map = {"working_days": "amount", "calendar_hours": "amount"}

    def run(self, actor, version):
        amount = self.cleaned_data["amount"]
        extra = {"calendar_hours": amount} if self.hours else {"working_days": amount}
        return self.fn(actor, self.case, reason=self.cleaned_data["reason"], expected_version=version, **extra)


class HandledForm(ActionForm):
    """处置完毕: what was done, with photos of the result."""

    multipart = True
    notes = _text(_("What was done"), required=True, rows=3)
    photos = PhotosField(label=_("Photos of the result"))
    field_map = {"attachments": "photos"}

    def run(self, actor, version):
        files = store_photos(actor, self.cleaned_data["photos"], "case-handling")
        return self.fn(actor, self.case, notes=self.cleaned_data["notes"], photos=files, expected_version=version)


class VerifyForm(ActionForm):
    """核查: pass or fail on site, a note (required on failure) and photos (required on the phone page)."""

    multipart = True
    notes = _text(_("What you found on site"), required=False, rows=3)
    photos = PhotosField(label=_("Photos taken on site"), camera=True)
    field_map = {"attachments": "photos"}

    def __init__(self, *args, require_photo: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.passed = self.action == A.VERIFY_PASS
        self.fields["photos"].required = require_photo
        if not self.passed:
            self.fields["notes"].required = True
            self.fields["notes"].label = _("What is still wrong")

    def run(self, actor, version):
        files = store_photos(actor, self.cleaned_data["photos"], "case-verification")
        return self.fn(
            actor,
            self.case,
            passed=self.passed,
            notes=self.cleaned_data["notes"],
            photos=files,
            expected_version=version,
        )


class MergeForm(ActionForm):
    """合并: this case repeats another (offered from the duplicate candidates, or by code)."""

    danger = True
    target = forms.CharField(label=_("Merge into case (code)"), max_length=32, strip=True)
    reason = _text(_("Note (optional)"), required=False)

    def clean_target(self):
        code = self.cleaned_data["target"]
        target = case_by_code(code)
        if target is None:
            raise forms.ValidationError(_("There is no case with the code “%(code)s”."), params={"code": code})
        if target.pk == self.case.pk:
            raise forms.ValidationError(_("A case cannot be merged into itself."))
        return target

    def run(self, actor, version):
        data = self.cleaned_data
        return self.fn(actor, self.case, data["target"], reason=data["reason"], expected_version=version)


class SplitForm(ActionForm):
    """拆分: at least two parts, each to a department, with what that department should do."""

    danger = True
    reason = _text(_("Why the case is split"), required=True)
    field_map = {"parts": "__all__"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, SPLIT_PARTS + 1):
            self.fields[f"department_{i}"] = department_field(help_text="")
            self.fields[f"department_{i}"].label = _("Part %(n)d: department") % {"n": i}
            self.fields[f"department_{i}"].empty_label = _("— no part —")
            self.fields[f"description_{i}"] = forms.CharField(
                label=_("Part %(n)d: what to do") % {"n": i}, required=False, max_length=TEXT_MAX, strip=True
            )

    def clean(self):
        data = super().clean()
        parts = []
        for i in range(1, SPLIT_PARTS + 1):
            department, description = data.get(f"department_{i}"), data.get(f"description_{i}")
            if description and department is None:
                self.add_error(f"department_{i}", _("Choose the department of this part."))
            elif department is not None:
                parts.append({"department": department, "description": description or ""})
        if len(parts) < 2 and not self.errors:
            raise forms.ValidationError(_("A split needs at least two parts, each with a department."))
        data["parts"] = parts
        return data

    def run(self, actor, version):
        data = self.cleaned_data
        return self.fn(actor, self.case, data["parts"], reason=data["reason"], expected_version=version)


class EvaluateForm(ActionForm):
    level = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[
            (5, _("Very satisfied")),
            (4, _("Satisfied")),
            (3, _("Basically satisfied")),
            (2, _("Dissatisfied")),
            (1, _("Very dissatisfied")),
        ],
    )
    comment = _text(_("Comment (optional)"), required=False)

    def run(self, actor, version):
        data = self.cleaned_data
        return self.fn(actor, self.case, level=data["level"], comment=data["comment"], expected_version=version)


# action → (form class, operations action); system-only actions (escalate, close_parent) have no form
FORMS = {
    A.ACCEPT: (NoteForm, ops.accept),
    A.REJECT: (ReasonForm, ops.reject),
    A.REGISTER: (NoteForm, ops.register),
    A.DISPATCH: (DispatchForm, ops.dispatch),
    A.START_HANDLING: (NoteForm, ops.start_handling),
    A.RETURN: (ReasonForm, ops.return_case),
    A.REQUEST_EXTENSION: (ExtensionForm, ops.request_extension),
    A.GRANT_EXTENSION: (NoteForm, ops.grant_extension),
    A.REFUSE_EXTENSION: (ReasonForm, ops.refuse_extension),
    A.SUSPEND: (ReasonForm, ops.suspend),
    A.RESUME: (NoteForm, ops.resume),
    A.MARK_HANDLED: (HandledForm, ops.mark_handled),
    A.VERIFY_PASS: (VerifyForm, ops.verify),
    A.VERIFY_FAIL: (VerifyForm, ops.verify),
    A.CLOSE: (NoteForm, ops.close),
    A.EVALUATE: (EvaluateForm, ops.evaluate),
    A.REOPEN: (ReasonForm, ops.reopen),
    A.SUPERVISE: (SuperviseForm, ops.supervise),
    A.MERGE: (MergeForm, ops.merge_into),
    A.SPLIT: (SplitForm, ops.split_case),
}


def make_form(action: str, case: Case, data=None, files=None, **extra) -> ActionForm:
    form_class, fn = FORMS[action]
    return form_class(data, files, case=case, action=action, fn=fn, **extra)
