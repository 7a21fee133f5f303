"""Resident pages, mounted at /report/ (see yiwang/urls.py)."""

from django.urls import path

from . import resident

urlpatterns = [
    path("", resident.report_page, name="report"),
    path("questions/", resident.questions_fragment, name="report-questions"),
    path("done/<str:code>/", resident.done_page, name="report-done"),
    path("track/", resident.track_page, name="report-track"),
    path("map/", resident.public_map_page, name="report-map"),
    path("map.json", resident.public_map_json, name="report-map-json"),
]
