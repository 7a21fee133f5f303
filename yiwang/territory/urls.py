from django.urls import path

from . import views

urlpatterns = [path("map/", views.map_page, name="territory-map")]
