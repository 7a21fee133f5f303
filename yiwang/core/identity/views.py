"""Sign-in through the OIDC provider and through the ID-card reader (window, kiosk)."""

import logging

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor

from . import complete_login
from . import oidc as oidc_client
from .accounts import account_for_card, account_for_oidc
from .cardreader import CardReadError, configured_reader

log = logging.getLogger(__name__)
FLOW_KEY = "oidc_flow"


def _safe_next(request, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return reverse("home")


def _callback_uri(request) -> str:
    return request.build_absolute_uri(reverse("oidc-callback"))


def oidc_login(request):
    if not oidc_client.enabled():
        raise Http404
    try:
        auth = oidc_client.authorization_request(_callback_uri(request))
    except oidc_client.OIDCError as exc:
        log.warning("OIDC sign-in could not start: %s", exc)
        messages.error(request, _("Single sign-on is not reachable just now. Please try again later."))
        return HttpResponseRedirect(reverse("login"))
    request.session[FLOW_KEY] = auth.session_data(_safe_next(request, request.GET.get("next", "")))
    return HttpResponseRedirect(auth.url)


def oidc_callback(request):
    if not oidc_client.enabled():
        raise Http404
    flow = request.session.pop(FLOW_KEY, None)
    state = request.GET.get("state", "")
    if not flow or not state or state != flow.get("state"):
        return HttpResponseBadRequest(_("This sign-in link is not valid any more. Please start again."))
    if request.GET.get("error") or not request.GET.get("code"):
        messages.error(request, _("Single sign-on was cancelled or refused."))
        return HttpResponseRedirect(reverse("login"))
    try:
        claims = oidc_client.sign_in_claims(request.GET["code"], _callback_uri(request), flow)
        assurance = oidc_client.assurance_for(claims)
        user = account_for_oidc(
            Actor.from_request(request),
            claims,
            assurance,
            id_claim=oidc_client.config("ID_NUMBER_CLAIM"),
            name_claim=oidc_client.config("NAME_CLAIM"),
            phone_claim=oidc_client.config("PHONE_CLAIM"),
            create=bool(oidc_client.config("CREATE_USERS")),
        )
        complete_login(request, user, method="oidc", assurance=assurance)
    except oidc_client.OIDCError as exc:
        log.warning("OIDC sign-in refused: %s", exc)
        messages.error(request, _("Single sign-on failed: the provider's answer could not be verified."))
        return HttpResponseRedirect(reverse("login"))
    except ActionError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("login"))
    return HttpResponseRedirect(flow.get("next") or reverse("home"))


@require_http_methods(["GET", "POST"])
def card_login(request):
    reader = configured_reader()
    if reader is None:
        raise Http404
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    if request.method == "POST":
        try:
            card = reader.read()
            user = account_for_card(Actor.from_request(request, channel="kiosk"), card.id_number, card.name)
            complete_login(request, user, method="id_card", assurance="id_card")
            return HttpResponseRedirect(next_url)
        except (CardReadError, ActionError) as exc:
            messages.error(request, getattr(exc, "message", None) or str(exc))
    return render(request, "core/card_login.html", {"next": next_url})
