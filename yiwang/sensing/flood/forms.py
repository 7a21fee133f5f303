"""Forms of the flood pages (the actions check everything again)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ChecklistTemplate, DutyRole, Shift, WarningKind, WarningLevel, WeatherWarning

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WarningForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind 类型"), choices=WarningKind.choices)
    level = forms.ChoiceField(label=_("level 等级"), choices=WarningLevel.choices)
    issued_at = forms.DateTimeField(label=_("issued at 发布时间"), widget=DT)
    valid_from = forms.DateTimeField(label=_("valid from 生效时间"), widget=DT, required=False)
    valid_to = forms.DateTimeField(label=_("valid to 失效时间"), widget=DT, required=False)
    area = forms.CharField(label=_("area 影响区域"), max_length=200, required=False)
    source = forms.CharField(label=_("source 发布单位"), max_length=100)
    reference = forms.CharField(label=_("reference 预警编号"), max_length=100, required=False)
    text = forms.CharField(label=_("text 预警内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def fields_for_action(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("issued_at", "valid_from", "valid_to"):
            data[name] = data[name].isoformat() if data[name] else ""
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or JSON file 预警文件"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        name = (f.name or "").lower()
        if not name.endswith((".csv", ".json")):
            raise forms.ValidationError(_("Choose a .csv or .json file."))
        if f.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return f

    @property
    def fmt(self) -> str:
        return "json" if self.cleaned_data["file"].name.lower().endswith(".json") else "csv"


class IssueForm(forms.Form):
    template = forms.ModelChoiceField(label=_("checklist 检查表"), queryset=ChecklistTemplate.objects.none())
    due_on = forms.DateField(label=_("due on 完成期限"), widget=DATE)
    subdistricts = forms.MultipleChoiceField(
        label=_("subdistricts (none: all) 街镇（不选为全部）"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        from yiwang.territory.services import units_in_force

        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ChecklistTemplate.objects.filter(active=True)
        self.fields["subdistricts"].choices = list(
            units_in_force().filter(level=2).order_by("code").values_list("code", "name")
        )
        self.fields["due_on"].initial = timezone.localdate() + dt.timedelta(days=7)


class ReportForm(forms.Form):
    start = forms.DateField(label=_("from 开始日期"), widget=DATE, required=False)
    end = forms.DateField(label=_("to (inclusive) 结束日期（含）"), widget=DATE, required=False)
    warning = forms.ModelChoiceField(
        label=_("or an event: a weather warning 或按预警事件"), queryset=WeatherWarning.objects.all(), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end date is before the start date."))
        return data

    def period(self):
        from .queries import season_for
        from .report import Period, event_period

        if self.cleaned_data.get("warning"):
            return event_period(self.cleaned_data["warning"])
        today = timezone.localdate()
        season, _phase = season_for(today)
        in_season = season.prep_from <= today
        start = self.cleaned_data.get("start") or (season.prep_from if in_season else today - dt.timedelta(days=30))
        end = self.cleaned_data.get("end") or (min(season.last_day, today) if in_season else today)
        tz = timezone.get_current_timezone()
        return Period(
            start=dt.datetime.combine(start, dt.time(), tzinfo=tz),
            end=dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz),
        )


class DutyForm(forms.Form):
    date = forms.DateField(label=_("date 日期"), widget=DATE)
    shift = forms.ChoiceField(label=_("shift 班次"), choices=Shift.choices)
    role = forms.ChoiceField(label=_("duty role 值班岗位"), choices=DutyRole.choices)
    name = forms.CharField(label=_("name 姓名"), max_length=100)
    phone = forms.CharField(label=_("phone 电话"), max_length=32, required=False)


class ShelterForm(forms.Form):
    is_open = forms.BooleanField(label=_("open 已开放"), required=False)
    occupancy = forms.IntegerField(label=_("occupancy 已安置人数"), min_value=0)
