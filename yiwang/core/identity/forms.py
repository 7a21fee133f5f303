"""The password login form, throttled: a locked-out username or address is refused before the password is checked."""

from __future__ import annotations

import math

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import ngettext_lazy

from . import throttle


class ThrottleMixin:
    """For a Django authentication form: record each failure and refuse attempts during a lockout."""

    locked_out = False

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        client_ip = throttle.client_ip_of(self.request) if self.request is not None else None
        lockout = throttle.active_lockout(username, client_ip)
        if lockout is not None:
            throttle.record_refused(self.request, username, client_ip)
            raise self._locked_out_error(lockout)
        try:
            return super().clean()
        except forms.ValidationError as exc:
            # a wrong username or password (not the right password of someone refused for another reason)
            if getattr(exc, "code", None) == "invalid_login" and self.user_cache is None:
                lockout = throttle.record_failure(self.request, username, client_ip)
                if lockout is not None:
                    raise self._locked_out_error(lockout) from exc
            raise

    def _locked_out_error(self, lockout) -> forms.ValidationError:
        self.locked_out = True
        minutes = max(1, math.ceil((lockout.until - throttle.now()).total_seconds() / 60))
        message = ngettext_lazy(
            "Too many failed logins. For your safety, logging in is paused: please try again in %(minutes)d minute.",
            "Too many failed logins. For your safety, logging in is paused: please try again in %(minutes)d minutes.",
            "minutes",
        )
        return forms.ValidationError(message, code="locked_out", params={"minutes": minutes})


class ThrottledAuthenticationForm(ThrottleMixin, AuthenticationForm):
    """The password login page's form."""


class ThrottledAdminAuthenticationForm(ThrottleMixin, AdminAuthenticationForm):
    """The back office's own login form: the same counts and lockouts as the login page."""
