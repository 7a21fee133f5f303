"""Who may open the flood pages; pages render inside the staff shell of city operations."""

from __future__ import annotations

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.utils.translation import gettext_lazy as _

from yiwang.operations.web.staff_access import render_page  # noqa: F401  (the same top bar as /ops/)


def flood_page(check):
    """Decorator: log in first; then refuse (403) people for whom ``check(user)`` is false."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise HttpForbidden(_("This page is not for your role."))
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
