"""The resident's report form (随身拍) and the hotline operator's entry form (12345).

Both check everything a person can get wrong before anything is stored, with a precise message on the
field concerned; what the ``report_case`` action still refuses comes back onto the same fields
(:func:`apply_action_error`).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError
from yiwang.territory import services as territory

from ..actions.intake import DESCRIPTION_MAX
from ..models import Category, Priority
from . import places
from .fields import QUESTION_PREFIX, PhoneField, PhotosField, add_question_fields, answers_from


def leaf_categories():
    """Categories a case can be recorded against: active, without active children."""
    return Category.objects.filter(active=True).exclude(children__active=True).select_related("parent")


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PlaceMixin:
    """lon/lat from the phone, a map click or the type-ahead; else the address typed, if it names one place."""

    place_missing = _("Choose the place: use your position, tap the map, or type the name of the residential area.")

    def clean_place(self, cleaned: dict) -> None:
        lon, lat = cleaned.get("lon"), cleaned.get("lat")
        address = (cleaned.get("address") or "").strip()
        if lon is None or lat is None:
            if (lon is None) != (lat is None):
                self.add_error("address", _("The place needs both a longitude and a latitude; choose it again."))
                return
            if not address:
                self.add_error("address", self.place_missing)
                return
            found = places.search(address, limit=6)
            match = places.best_match(address)
            if match is None and not found:
                self.add_error(
                    "address",
                    _("No place called “%(text)s” is known; pick the place on the map.") % {"text": address},
                )
                return
            if match is None:
                names = "、".join(p.name for p in found[:5])
                self.add_error(
                    "address",
                    _("“%(text)s” matches several places (%(names)s); pick one from the list or on the map.")
                    % {"text": address, "names": names},
                )
                return
            cleaned["lon"], cleaned["lat"] = match.lon, match.lat
            self.matched_place = match
        if territory.locate(cleaned["lon"], cleaned["lat"]).outside:
            self.add_error("address", _("This place is outside the district; choose a place inside it."))


class QuestionsMixin:
    big_questions = False

    def setup_questions(self, data) -> None:
        """Add the chosen category's questions (from the submitted data, or the initial category)."""
        self.question_names = []
        raw = data.get("category") if data is not None else self.initial.get("category")
        key = str(getattr(raw, "pk", raw) or "")
        category = leaf_categories().filter(pk=key).first() if key.isdigit() else None
        if category is not None:
            self.question_names = add_question_fields(self, category, big=self.big_questions)

    @property
    def answers(self) -> dict:
        return answers_from(self.cleaned_data, self.question_names)

    def question_fields(self):
        return [self[name] for name in self.question_names]


def apply_action_error(form: forms.Form, exc: ActionError, fields: dict | None = None) -> None:
    """Put the message of a refused action onto the form field it concerns (or the whole form)."""
    mapping = {"lon": "address", "lat": "address", "coord_system": "address", "reporter": "phone"}
    mapping.update(fields or {})
    name = exc.field or ""
    if name.startswith("answers."):
        name = QUESTION_PREFIX + name.split(".", 1)[1]
    name = mapping.get(name, name)
    form.add_error(name if name in form.fields else None, str(exc.message))


class ResidentReportForm(QuestionsMixin, PlaceMixin, forms.Form):
    """随身拍 on a phone: what, where, photos, and who (or anonymous)."""

    big_questions = True

    group = forms.ModelChoiceField(
        label=_("Kind of problem"),
        queryset=Category.objects.filter(parent__isnull=True, active=True),
        required=False,
        empty_label=_("— choose —"),
    )
    category = CategoryChoice(
        label=_("Problem"),
        queryset=Category.objects.none(),
        empty_label=_("— choose —"),
        error_messages={
            "required": _("Choose what kind of problem it is."),
            "invalid_choice": _("Choose a problem from the list."),
        },
    )
    description = forms.CharField(
        label=_("Describe the problem"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Describe the problem in a few words.")},
    )
    lon = forms.FloatField(
        label=_("Longitude"), required=False, widget=forms.HiddenInput, min_value=-180, max_value=180
    )
    lat = forms.FloatField(label=_("Latitude"), required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    address = forms.CharField(
        label=_("Place or address"),
        max_length=300,
        required=False,
        help_text=_("For example the name of the residential area and the building."),
    )
    photos = PhotosField(label=_("Photos"))
    anonymous = forms.BooleanField(label=_("Report anonymously"), required=False)
    name = forms.CharField(label=_("Your name"), max_length=100, required=False)
    phone = PhoneField(label=_("Your phone number"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        self.matched_place = None
        self.fields["category"].queryset = leaf_categories()
        self.fields["group"].queryset = Category.objects.filter(
            parent__isnull=True, active=True, children__active=True
        ).distinct()
        self.setup_questions(self.data if self.is_bound else None)
        if self.user is not None:
            self.fields["name"].initial = self.user.display_name
            self.fields["phone"].initial = self.user.phone

    def clean(self):
        cleaned = super().clean()
        self.clean_place(cleaned)
        anonymous = cleaned.get("anonymous")
        if not anonymous and self.user is None and not cleaned.get("phone") and "phone" not in self.errors:
            self.add_error(
                "phone",
                _("Give a phone number so that we can tell you the result, or tick “Report anonymously”."),
            )
        return cleaned


class HotlineForm(QuestionsMixin, PlaceMixin, forms.Form):
    """12345: the caller's number first, then category, place, description — all by keyboard."""

    place_missing = _("Type the place (residential area, school, shop …) and press Enter, or click the map.")

    phone = PhoneField(
        label=_("Caller's phone"),
        local_allowed=True,
        error_messages={"required": _("Type the caller's phone number.")},
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose the category: type Chinese, pinyin initials or English and press Enter."),
            "invalid_choice": _("That category cannot be used; choose another from the list."),
        },
    )
    category_text = forms.CharField(label=_("Category"), required=False, max_length=200)
    address = forms.CharField(label=_("Place"), max_length=300, required=False)
    lon = forms.FloatField(
        label=_("Longitude"), required=False, widget=forms.HiddenInput, min_value=-180, max_value=180
    )
    lat = forms.FloatField(label=_("Latitude"), required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    description = forms.CharField(
        label=_("What the caller says"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write down what the caller reports.")},
    )
    name = forms.CharField(label=_("Caller's name"), max_length=100, required=False)
    anonymous = forms.BooleanField(label=_("Caller asks to stay anonymous"), required=False)
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=[("", _("the category's default")), *Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.matched_place = None
        self.fields["category"].queryset = leaf_categories()
        self.setup_questions(self.data if self.is_bound else None)

    def clean(self):
        cleaned = super().clean()
        self.clean_place(cleaned)
        return cleaned
