"""The 12345 hotline operator's pages, mounted at /hotline/ (see yiwang/urls.py)."""

from django.urls import path

from . import hotline

urlpatterns = [
    path("", hotline.entry_page, name="hotline"),
    path("categories.json", hotline.categories_json, name="hotline-categories"),
    path("places.json", hotline.places_json, name="hotline-places"),
    path("caller.json", hotline.caller_json, name="hotline-caller"),
    path("questions/", hotline.questions_fragment, name="hotline-questions"),
]
