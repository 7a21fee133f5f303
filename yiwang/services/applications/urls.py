"""URLs of the three places, mounted in yiwang/urls.py at services/apply/, services/window/, services/approvals/."""

from django.urls import path

from . import views

portal_urlpatterns = [
    path("", views.portal, name="applications-portal"),
    path("item/<str:item_code>/", views.portal_item, name="applications-portal-item"),
    path("<str:code>/", views.portal_detail, name="applications-portal-detail"),
]

window_urlpatterns = [
    path("", views.window_desk, name="applications-window"),
    path("apply/", views.window_apply, name="applications-window-apply"),
    path("<str:code>/", views.window_detail, name="applications-window-detail"),
]

approval_urlpatterns = [
    path("", views.approvals, name="applications-approvals"),
    path("<str:code>/", views.approvals_detail, name="applications-approvals-detail"),
]
