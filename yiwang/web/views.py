"""The home page: what this person can do, by role."""

from dataclasses import dataclass

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from yiwang.core.roles import Role
from yiwang.core.scope import has_role


@dataclass(frozen=True)
class Tile:
    title: str
    url_name: str
    text: str
    roles: tuple[str, ...] = ()  # empty: everyone; otherwise any of these roles
    staff: bool = False


TILES = [
    Tile(_("Report a problem"), "report", _("Photos, place and a few words: we take it from there.")),
    Tile(_("Track a report"), "report-track", _("Follow your report with its code.")),
    Tile(_("Reports on the map"), "report-map", _("Problems residents reported near you.")),
    Tile(_("Map of the district"), "territory-map", _("Subdistricts, grids and residential areas.")),
    Tile(_("12345 hotline entry"), "hotline", _("Record a caller's case from the keyboard."), (Role.HOTLINE_OPERATOR,)),
    Tile(
        _("Case queue"),
        "ops-staff:queue",
        _("Register, dispatch and supervise cases."),
        (Role.DISPATCHER, Role.OPERATIONS_CENTRE, Role.LEADER),
    ),
    Tile(
        _("Case map"),
        "ops-staff:map",
        _("Open cases on the map."),
        (Role.DISPATCHER, Role.OPERATIONS_CENTRE, Role.LEADER),
    ),
    Tile(_("Department inbox"), "ops-staff:inbox", _("Cases assigned to your department."), (Role.DEPARTMENT_HANDLER,)),
    Tile(_("Cases to verify"), "ops-staff:verify-list", _("Check on site that a case was fixed."), (Role.GRID_WORKER,)),
    Tile(
        _("Statistics"),
        "ops-staff:stats",
        _("Cases by channel, category and unit; on-time rate; satisfaction."),
        (Role.DISPATCHER, Role.OPERATIONS_CENTRE, Role.LEADER, Role.DEPARTMENT_HANDLER),
    ),
    Tile(
        _("Rectifications"),
        "rectifications",
        _("Bad reviews to put right within 5 working days."),
        (Role.DEPARTMENT_HANDLER, Role.OPERATIONS_CENTRE),
    ),
    Tile(
        _("Flood and typhoon prevention"),
        "flood:scene",
        _("Weather warnings, who is on duty, inspections, flood alerts and shelters."),
        (Role.OPERATIONS_CENTRE, Role.LEADER, Role.DISPATCHER),  # the scene's viewers (flood.permissions)
    ),
    Tile(_("Flood inspection tasks"), "flood:tasks", _("Pre-flood checklists for your grid."), (Role.GRID_WORKER,)),
    Tile(_("Messages"), "notify-inbox", _("Your notifications."), ("*",)),
    Tile(_("Back office"), "admin:index", _("Territory, categories, rules, people."), staff=True),
]


def _visible(tile: Tile, user) -> bool:
    if tile.staff:
        return user.is_authenticated and user.is_staff
    if not tile.roles:
        return True
    if not user.is_authenticated:
        return False
    return "*" in tile.roles or has_role(user, *tile.roles)


def home(request):
    tiles = []
    for tile in TILES:
        if not _visible(tile, request.user):
            continue
        try:
            tiles.append({"title": tile.title, "url": reverse(tile.url_name), "text": tile.text})
        except NoReverseMatch:  # a context that is not installed
            continue
    return render(request, "web/home.html", {"tiles": tiles})
