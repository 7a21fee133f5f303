from django.urls import path

from . import views

urlpatterns = [
    path("inbox/", views.inbox_view, name="notify-inbox"),
    path("ack/<str:token>/", views.ack, name="notify-ack"),
]
