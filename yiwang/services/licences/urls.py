from django.urls import path

from . import views

urlpatterns = [
    path("verify/", views.verify_page, name="licence-verify"),
    path("<uuid:jti>/qr.svg", views.licence_qr, name="licence-qr"),
]
