"""Log in (password) and log out. Single sign-on and the ID-card reader are in ``identity/views.py``."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError
from yiwang.core.identity import complete_login
from yiwang.core.identity import oidc as oidc_client
from yiwang.core.identity.cardreader import configured_reader
from yiwang.core.identity.forms import ThrottledAuthenticationForm
from yiwang.core.models import LoginMethod
from yiwang.core.roles import Assurance


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = False

    def form_valid(self, form):
        try:
            complete_login(self.request, form.get_user(), method=LoginMethod.PASSWORD, assurance=Assurance.PASSWORD)
        except ActionError as exc:
            messages.error(self.request, exc.message)
            return self.form_invalid(form)
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        needed = self.request.GET.get("assurance", "")
        context.update(
            OIDC_ENABLED=oidc_client.enabled(),
            CARD_READER_ENABLED=configured_reader() is not None,
            needed_assurance=Assurance(needed).label if needed in Assurance.values else "",
        )
        return context


class LogoutView(auth_views.LogoutView):
    """POST only (Django's own rule): a link or an image cannot log someone out."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have logged out."))
        return response
