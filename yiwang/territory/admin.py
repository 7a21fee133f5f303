"""Back office for the territory: read-only lists of units and POIs, plus two tools.

Nothing is edited field by field here: changes come in through the import actions (the "import
GeoJSON" tool below, or `yiwang territory import`). The "locate this point" tool shows the unit chain
of a point and the points of interest around it.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from yiwang.core.adminkit import ReadOnlyModelAdmin, admin_actor
from yiwang.core.permissions import may_manage_territory, may_use_back_office

from . import actions, queries, services
from .geometry import SYSTEMS
from .models import PoiKind, PointOfInterest, Unit


class CurrentFilter(admin.SimpleListFilter):
    title = _("version 版本")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("in force 现行")), ("no", _("closed 已失效"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(valid_to__isnull=True)
        if self.value() == "no":
            return queryset.filter(valid_to__isnull=False)
        return queryset


class LocateForm(forms.Form):
    lon = forms.FloatField(label=_("longitude 经度"), min_value=-180, max_value=180)
    lat = forms.FloatField(label=_("latitude 纬度"), min_value=-90, max_value=90)
    system = forms.ChoiceField(label=_("coordinate system 坐标系"), choices=[(s, s.upper()) for s in SYSTEMS])
    on = forms.DateField(label=_("on date 日期"), required=False, help_text=_("empty: the units in force now"))
    radius = forms.FloatField(label=_("POIs within (m) 周边兴趣点（米）"), initial=300, min_value=1, max_value=5000)


class ImportForm(forms.Form):
    KINDS = [("units", _("units 网格单元")), ("pois", _("points of interest 兴趣点"))]
    what = forms.ChoiceField(label=_("import 导入"), choices=KINDS)
    file = forms.FileField(label=_("GeoJSON file 文件"))
    system = forms.ChoiceField(
        label=_("coordinate system 坐标系"),
        choices=[("", _("as the file says 按文件声明"))] + [(s, s.upper()) for s in SYSTEMS],
        required=False,
    )
    dry_run = forms.BooleanField(label=_("only check 仅校验"), required=False)


@admin.register(Unit)
class UnitAdmin(ReadOnlyModelAdmin):
    permission = staticmethod(may_use_back_office)
    list_display = ("code", "name", "name_en", "level", "kind", "parent_code", "org_unit", "population")
    list_display += ("area_m2", "valid_from", "valid_to")
    list_filter = ("level", "kind", CurrentFilter)
    search_fields = ("code", "name", "name_en", "parent_code")
    list_select_related = ("org_unit",)
    exclude = ("geometry",)
    readonly_fields = ("geometry_preview",)
    change_list_template = "admin/territory/unit/change_list.html"

    @admin.display(description=_("geometry 边界"))
    def geometry_preview(self, obj):
        text = obj.geometry
        return text if len(text) < 2000 else text[:2000] + "…"

    def get_urls(self):
        own = [
            path("locate/", self.admin_site.admin_view(self.locate_view), name="territory_unit_locate"),
            path("import/", self.admin_site.admin_view(self.import_view), name="territory_unit_import"),
        ]
        return own + super().get_urls()

    def locate_view(self, request):
        if not may_use_back_office(request.user):
            raise PermissionDenied
        form = LocateForm(request.GET or None, initial={"system": "wgs84", "radius": 300})
        placement = nearby = None
        if request.GET and form.is_valid():
            d = form.cleaned_data
            placement = services.locate(d["lon"], d["lat"], system=d["system"], at=d["on"])
            nearby = queries.pois_within(d["lon"], d["lat"], d["radius"], system=d["system"])[:50]
            kinds = dict(PoiKind.choices)
            nearby = [{**p, "kind_label": kinds.get(p["kind"], p["kind"])} for p in nearby]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Locate a point 定位"),
            "form": form,
            "placement": placement,
            "placement_json": json.dumps(placement.to_dict(), ensure_ascii=False, indent=2) if placement else "",
            "nearby": nearby,
        }
        return TemplateResponse(request, "admin/territory/locate.html", context)

    def import_view(self, request):
        if not may_manage_territory(request.user):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                data = json.load(d["file"])
            except (ValueError, UnicodeDecodeError) as exc:
                form.add_error("file", _("not a JSON file: %(error)s") % {"error": exc})
            else:
                run = actions.import_territory if d["what"] == "units" else actions.import_pois
                try:
                    result = run(
                        admin_actor(request), data, coordinate_system=d["system"] or None, dry_run=d["dry_run"]
                    )
                except actions.ImportRefused as exc:
                    problems = exc.problems
                    messages.error(request, exc.message)
                else:
                    messages.success(request, _("Import done: %(summary)s") % {"summary": result.summary()})
                    return redirect(reverse("admin:territory_unit_import"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import GeoJSON 导入"),
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(request, "admin/territory/import.html", context)


@admin.register(PointOfInterest)
class PointOfInterestAdmin(ReadOnlyModelAdmin):
    permission = staticmethod(may_use_back_office)
    list_display = ("code", "kind", "name", "lon", "lat", "subdistrict_code", "grid_code", "capacity", "updated_at")
    list_filter = ("kind", "subdistrict_code")
    search_fields = ("code", "name", "grid_code", "unit_code")
