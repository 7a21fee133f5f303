from django.urls import path

from . import views

app_name = "bundles"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/<int:pk>/", views.mine, name="mine"),
    path("<str:code>/", views.detail, name="detail"),
]
