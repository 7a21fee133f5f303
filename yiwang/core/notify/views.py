"""Pages: the acknowledgement link (GET shows, POST confirms) and the in-app inbox."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yiwang.core.actor import Actor

from .ack import UnknownToken, acknowledge, find_by_token, inbox, mark_read, unread_count


@require_http_methods(["GET", "HEAD", "POST"])
def ack(request, token: str):
    """GET/HEAD never change anything (mail scanners prefetch links); POST acknowledges."""
    try:
        notification = find_by_token(token)
    except UnknownToken:
        return render(request, "notify/ack_unknown.html", status=404)
    context = {"notification": notification, "already": notification.is_acknowledged, "just_now": False}
    if request.method == "POST":
        try:
            result = acknowledge(Actor.from_request(request), token)
        except UnknownToken:  # expired between the GET and the POST
            return render(request, "notify/ack_unknown.html", status=404)
        context.update(
            notification=result.notification, already=not result.newly_acknowledged, just_now=result.newly_acknowledged
        )
    response = render(request, "notify/ack.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # the token is in the URL: never leak it onwards
    return response


@login_required
@require_http_methods(["GET", "POST"])
def inbox_view(request):
    if request.method == "POST":
        actor = Actor.from_request(request)
        if request.POST.get("all"):
            changed = mark_read(actor)
        else:
            ids = [i for i in request.POST.getlist("id") if i.isdigit()]
            changed = mark_read(actor, ids) if ids else 0
        if changed:
            messages.success(request, _("Marked %(count)d message(s) as read.") % {"count": changed})
        return HttpResponseRedirect(reverse("notify-inbox"))
    rows = list(inbox(request.user)[:200])
    return render(request, "notify/inbox.html", {"rows": rows, "unread": unread_count(request.user)})
