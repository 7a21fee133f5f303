from django.urls import path

from . import stats_page, views

app_name = "catalogue"

urlpatterns = [
    path("", views.catalogue_search, name="search"),
    path("guide/<str:code>/", views.guide_page, name="guide"),
    path("stats/", stats_page.stats_page, name="stats"),
]
