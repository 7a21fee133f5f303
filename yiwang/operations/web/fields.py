"""Form fields shared by the resident and hotline forms: phone numbers, photos, a category's questions."""

from __future__ import annotations

import re
from datetime import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yiwang.core.uploads import detect
from yiwang.core.uploads.forms import ContentCheckedFileField

# a mainland mobile number, or a landline with its area code (010-12345678, 021 1234 5678)
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}\d{7,8}$")
LOCAL_RE = re.compile(r"^\d{7,8}$")  # a landline without area code (a caller of the district itself)
PHONE_SEPARATORS = re.compile(r"[\s\-()（）]")
QUESTION_PREFIX = "q_"


def max_photos() -> int:
    return int(getattr(settings, "OPERATIONS", {}).get("MAX_PHOTOS", 6))


def normalise_phone(value: str) -> str:
    """Digits only, without separators and without the country code (+86 / 0086)."""
    digits = PHONE_SEPARATORS.sub("", value or "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    return digits


def validate_phone(value: str, *, local_allowed: bool = False) -> str:
    """The normalised number, or a ValidationError that says what is wrong with it."""
    digits = normalise_phone(value)
    if not digits:
        return ""
    if not digits.isdigit():
        raise ValidationError(
            _("A phone number has only digits (and spaces or dashes); “%(value)s” has other characters."),
            code="not_digits",
            params={"value": value},
        )
    if digits.startswith("1"):
        if len(digits) != 11:
            raise ValidationError(
                _("A mobile number has 11 digits; this one has %(n)s."), code="mobile_length", params={"n": len(digits)}
            )
        if not MOBILE_RE.match(digits):
            raise ValidationError(_("A mobile number starts with 13 to 19."), code="mobile_prefix")
        return digits
    if LANDLINE_RE.match(digits) or (local_allowed and LOCAL_RE.match(digits)):
        return digits
    raise ValidationError(
        _("Give a mobile number (11 digits, starting with 1) or a landline with its area code (e.g. 021-12345678)."),
        code="phone_format",
    )


class PhoneField(forms.CharField):
    def __init__(self, *, local_allowed: bool = False, **kwargs):
        self.local_allowed = local_allowed
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "tel", "autocomplete": "tel", "type": "tel"})
        return attrs

    def clean(self, value):
        value = super().clean(value)
        return validate_phone(value, local_allowed=self.local_allowed)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(ContentCheckedFileField):
    """Up to ``max_photos()`` photos, each checked by its content (JPEG, PNG or WebP)."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(kinds=detect.IMAGE_KINDS, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [f for f in files if f]
        limit = max_photos()
        if len(files) > limit:
            raise ValidationError(
                _("At most %(max)s photos, please; you chose %(n)s."),
                code="too_many",
                params={"max": limit, "n": len(files)},
            )
        cleaned, errors = [], []
        for uploaded in files:
            try:
                cleaned.append(super().clean(uploaded, initial))
            except ValidationError as exc:
                name = getattr(uploaded, "name", "")
                errors.extend(
                    ValidationError(_("%(name)s: %(problem)s"), params={"name": name, "problem": m})
                    for m in exc.messages
                )
        if errors:
            raise ValidationError(errors)
        if self.required and not cleaned:
            raise ValidationError(self.error_messages["required"], code="required")
        return cleaned


# --- a category's extra questions ------------------------------------------------------------------


def _value_choices(question: dict) -> list[tuple[str, str]]:
    values = question.get("values") or []
    if isinstance(values, dict):
        return [(str(k), str(v)) for k, v in values.items()]
    out = []
    for v in values:
        if isinstance(v, dict):
            out.append((str(v.get("key")), str(v.get("name") or v.get("key"))))
        else:
            out.append((str(v), str(v)))
    return out


def question_field(question: dict, *, big: bool = False) -> forms.Field:
    """A form field for one of the category's questions (Open311's attribute types)."""
    datatype = question.get("datatype")
    label = question.get("description") or question["code"]
    required = bool(question.get("required"))
    common = {"label": label, "required": required}
    if datatype == "string":
        return forms.CharField(max_length=200, **common)
    if datatype == "text":
        return forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 3}), **common)
    if datatype == "number":
        return forms.FloatField(
            widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
            error_messages={"invalid": _("Enter a number, e.g. 3 or 2.5.")},
            **common,
        )
    if datatype == "datetime":
        return forms.DateTimeField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
            error_messages={"invalid": _("Enter a date and time, e.g. 2025-06-01 14:30.")},
            **common,
        )
    choices = _value_choices(question)
    if datatype == "singlevaluelist":
        widget = forms.RadioSelect if big or len(choices) <= 4 else forms.Select
        if widget is forms.Select and not required:
            choices = [("", "—"), *choices]
        return forms.ChoiceField(choices=choices, widget=widget, **common)
    if datatype == "multivaluelist":
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    return forms.CharField(max_length=200, **common)


def add_question_fields(form: forms.Form, category, *, big: bool = False) -> list[str]:
    """Add the category's questions to ``form`` as ``q_<code>`` fields; returns their names."""
    names = []
    for question in (category.questions or []) if category is not None else []:
        name = QUESTION_PREFIX + str(question["code"])
        form.fields[name] = question_field(question, big=big)
        names.append(name)
    return names


def answers_from(cleaned_data: dict, names: list[str]) -> dict:
    """The answers dict ``report_case`` expects, from the cleaned ``q_<code>`` fields."""
    answers = {}
    for name in names:
        value = cleaned_data.get(name)
        if value in (None, "", []):
            continue
        if isinstance(value, datetime):
            value = value.isoformat()
        answers[name[len(QUESTION_PREFIX) :]] = value
    return answers
