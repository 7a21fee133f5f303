from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("rate/<str:token>/", views.rate_page, name="rate"),
    path("rate/<str:token>/thanks/", views.thanks_page, name="thanks"),
    path("qr/<str:token>.svg", views.qr_code, name="qr"),
    path("stats/", views.stats_page, name="stats"),
    path("rectifications/", views.rectification_list, name="rectifications"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification"),
]
