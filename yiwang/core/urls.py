from django.urls import path

from yiwang.core import views
from yiwang.core.identity import views as identity_views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("oidc/login/", identity_views.oidc_login, name="oidc-login"),
    path("oidc/callback/", identity_views.oidc_callback, name="oidc-callback"),
    path("card/", identity_views.card_login, name="card-login"),
]
