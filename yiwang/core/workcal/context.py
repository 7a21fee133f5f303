"""Template context: the work calendar's coverage warning, shown to staff in the back office."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.urls import NoReverseMatch, reverse

log = logging.getLogger("yiwang.workcal")


def coverage_banner(request) -> dict:
    """``workcal_coverage_warning`` for every template; on admin pages also a warning message (once)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return {}
    try:
        admin_root = reverse("admin:index")
    except NoReverseMatch:
        admin_root = "/admin/"
    if not request.path.startswith(admin_root):
        return {}
    from .services import coverage_warning

    try:
        warning = coverage_warning()
    except Exception:  # never break a page over a banner
        log.exception("work calendar coverage check failed")
        return {}
    if warning and not getattr(request, "_workcal_banner_shown", False):
        request._workcal_banner_shown = True
        messages.warning(request, warning, fail_silently=True)
    return {"workcal_coverage_warning": warning}
