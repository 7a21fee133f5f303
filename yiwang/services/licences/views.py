"""Pages of the licence library: public verification, and a licence's QR code for its holder."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yiwang.core.actor import Actor

from .identity import IdentityNotVerified, VerifiedIdentity
from .models import Licence
from .presentation import public_view
from .tokens import qr_svg
from .verify import MAX_TOKEN_LENGTH, verify_licence


def _uploaded_token(upload) -> tuple[str, str]:
    """(token, error) from an uploaded text file holding a token."""
    if upload.size > MAX_TOKEN_LENGTH:
        return "", _("The file is too large to be a licence token.")
    try:
        return upload.read().decode("ascii").strip(), ""
    except UnicodeDecodeError:
        return "", _("The file holds no licence token. For a picture of a QR code, use “Scan a QR code”.")


@require_http_methods(["GET", "POST"])
def verify_page(request):
    context: dict = {"max_length": MAX_TOKEN_LENGTH}
    if request.method == "POST":
        token = (request.POST.get("credential") or "").strip()
        upload = request.FILES.get("file")
        if upload is not None and not token:
            token, context["error"] = _uploaded_token(upload)
        if not token and "error" not in context:
            context["error"] = _("Paste a licence token, upload a file with one, or scan its QR code.")
        if token:
            context["result"] = public_view(verify_licence(token))
    return render(request, "licences/verify.html", context)


def _may_see(request, licence: Licence) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    try:
        identity = VerifiedIdentity.from_actor(Actor.from_request(request))
    except IdentityNotVerified:
        return False
    return identity.id_hash == licence.holder_id_hash


def licence_qr(request, jti):
    """The licence's QR code (SVG) for its verified holder; others get 404 (existence is not revealed)."""
    licence = get_object_or_404(Licence, jti=jti)
    if not _may_see(request, licence):
        raise Http404
    response = HttpResponse(qr_svg(licence), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response
