"""Elder mode (适老化模式) of the resident portal: larger type, fewer choices a screen, simpler pages.

A toggle kept in the session and in a cookie (so it survives logging out); the context processor
:func:`elder_mode` adds ``elder_body_class`` for the base template's ``<body>`` and ``elder_per_screen``
(how many choices a page should offer) for pages that list choices.
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

SESSION_KEY = "elder_mode"
COOKIE = "yiwang_elder"
PER_SCREEN = 4


def is_on(request) -> bool:
    session = getattr(request, "session", None)
    if session is not None and SESSION_KEY in session:
        return bool(session[SESSION_KEY])
    return request.COOKIES.get(COOKIE) == "1"


def elder_mode(request) -> dict:
    """Context processor: ``elder_mode``, ``elder_body_class`` and ``elder_per_screen``."""
    on = is_on(request)
    return {
        "elder_mode": on,
        "elder_body_class": "elder-mode" if on else "",
        "elder_per_screen": PER_SCREEN if on else None,
    }


@require_POST
def toggle(request):
    """Switch elder mode on or off (``on`` = "1" / "0"; without it, flip) and go back where the person was."""
    wanted = request.POST.get("on")
    on = (wanted == "1") if wanted in ("0", "1") else not is_on(request)
    request.session[SESSION_KEY] = on
    target = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("home")
    response = redirect(target)
    response.set_cookie(COOKIE, "1" if on else "0", max_age=365 * 24 * 3600, samesite="Lax")
    return response
