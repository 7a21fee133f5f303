"""Pages of the territory context: the map of the four-level grid."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Level, UnitKind


def map_page(request):
    """Units drawn on a plain background (a tile layer only if MAP["TILE_URL"] is set); a click shows the chain."""
    config = {
        "unitsUrl": reverse("api:territory-units"),
        "locateUrl": reverse("api:territory-locate"),
        "tileUrl": settings.MAP.get("TILE_URL", ""),
        "tileAttribution": settings.MAP.get("TILE_ATTRIBUTION", ""),
        "strings": {
            "outside": _("Outside the district"),
            "loading": _("Locating…"),
            "failed": _("Could not locate this point."),
            "level4": _("Level-4 units"),
            "none": _("none"),
            "responsible": _("Responsible"),
            "noUnits": _("No units have been imported yet."),
            "levels": {str(value): str(label) for value, label in Level.choices},
            "kinds": {value: str(label) for value, label in UnitKind.choices},
        },
    }
    return render(request, "territory/map.html", {"config": config, "levels": Level.choices})
