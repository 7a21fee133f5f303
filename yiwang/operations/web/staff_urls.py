"""URLs of the staff pages and statistics of city operations (一网统管), mounted under ``/ops/``."""

from django.urls import path

from . import staff_case, staff_inbox, staff_queue, stats_views

app_name = "ops-staff"

urlpatterns = [
    path("", staff_queue.staff_home, name="home"),
    path("queue/", staff_queue.queue, name="queue"),
    path("queue/dispatch/", staff_queue.bulk_dispatch, name="bulk-dispatch"),
    path("map/", staff_queue.queue_map, name="map"),
    path("map/cases.geojson", staff_queue.map_data, name="map-data"),
    path("inbox/", staff_inbox.inbox, name="inbox"),
    path("verify/", staff_inbox.verify_list, name="verify-list"),
    path("verify/<str:code>/", staff_inbox.verify_page, name="verify"),
    path("cases/<str:code>/", staff_case.case_page, name="case"),
    path("cases/<str:code>/act/<str:action>/", staff_case.act, name="act"),
    path("cases/<str:code>/contact/", staff_case.reveal_contact, name="contact"),
    path("cases/<str:code>/photos/<int:attachment_id>/<str:size>/", staff_case.photo, name="photo"),
    path("stats/", stats_views.stats_page, name="stats"),
    path("stats/<str:table>.csv", stats_views.stats_csv, name="stats-csv"),
]
