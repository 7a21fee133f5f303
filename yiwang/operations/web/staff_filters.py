"""The queue's filters (status, category, unit at any level, overdue) as a GET form, and their choices."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import CaseStatus, Category
from ..workflow import OPEN_STATES

OPEN = ""  # every open case (the default)
ALL = "all"
PAGE_SIZE = 25


def status_choices():
    open_states = [(s.value, s.label) for s in CaseStatus if s.value in OPEN_STATES]
    done = [(s.value, s.label) for s in CaseStatus if s.value not in OPEN_STATES]
    return [
        (OPEN, _("Every open case")),
        (ALL, _("Every case")),
        (_("Open"), open_states),
        (_("Finished"), done),
    ]


def category_choices():
    rows = list(Category.objects.filter(active=True).order_by("position", "code").values("pk", "name", "parent_id"))
    children: dict = {}
    for row in rows:
        children.setdefault(row["parent_id"], []).append(row)
    choices = [("", _("Every category"))]
    for top in children.get(None, []):
        choices.append((str(top["pk"]), top["name"]))
        for child in children.get(top["pk"], []):
            choices.append((str(child["pk"]), f"\u3000{child['name']}"))
    return choices


def unit_choices():
    """Units in force, grouped by level (district, subdistricts, grids, level-4 units)."""
    from yiwang.territory.models import Level
    from yiwang.territory.services import units_in_force

    rows = units_in_force().order_by("level", "code").values_list("level", "code", "name")
    groups: dict[int, list] = {}
    for level, code, name in rows:
        groups.setdefault(level, []).append((code, f"{name} · {code}"))
    choices = [("", _("The whole district"))]
    for level, label in Level.choices:
        if groups.get(level):
            choices.append((str(label), groups[level]))
    return choices


class QueueFilter(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    unit = forms.ChoiceField(label=_("Area"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = status_choices()
        self.fields["category"].choices = category_choices()
        self.fields["unit"].choices = unit_choices()

    def filters(self) -> dict:
        """Keyword arguments for ``queries.case_list`` / ``filter_cases`` (only valid input reaches here)."""
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or OPEN
        result: dict = {}
        if status == OPEN:
            result["open_only"] = True
        elif status != ALL:
            result["status"] = status
        if data.get("category"):
            result["category"] = int(data["category"])
        if data.get("unit"):
            result["unit"] = data["unit"]
        if data.get("overdue"):
            result["overdue"] = True
        return result

    def page_number(self) -> int:
        return (self.cleaned_data.get("page") if self.is_valid() else None) or 1

    def query_string(self, **override) -> str:
        """The current filters as a query string (for paging links, the map and the CSV)."""
        from django.http import QueryDict

        qd = QueryDict(mutable=True)
        data = self.cleaned_data if self.is_valid() else {}
        for name in ("status", "category", "unit"):
            if data.get(name):
                qd[name] = data[name]
        if data.get("overdue"):
            qd["overdue"] = "on"
        for key, value in override.items():
            if value:
                qd[key] = str(value)
        return qd.urlencode()
