from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.catalogue_search, name="search"),
    path("guide/<str:code>/", views.guide_page, name="guide"),
]
