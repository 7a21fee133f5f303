"""``{% case_cameras case as cameras %}``: the cameras near a case, for the operations case page."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def case_cameras(context, case):
    """Cameras within 300 m of the case's point, nearest first (None for cases outside the district)."""
    from ..cameras import cameras_for_case
    from ..conf import flood_setting

    if case is None or getattr(case, "outside", False):
        return None
    context["camera_radius"] = flood_setting("CAMERA_RADIUS_M")
    return cameras_for_case(case)
