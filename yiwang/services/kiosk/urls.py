from django.urls import path

from . import bundles, elder, views

app_name = "kiosk"

urlpatterns = [
    path("", views.home, name="home"),
    path("category/<int:dept_id>/", views.category, name="category"),
    path("item/<str:item_code>/", views.item, name="item"),
    path("card/", views.card, name="card"),
    path("reader/", views.simulated_reader, name="reader"),
    path("start/<int:situation_id>/", views.start, name="start"),
    path("application/<str:code>/", views.application, name="application"),
    path("application/<str:code>/receipt/", views.receipt_page, name="receipt"),
    path("application/<str:code>/receipt.pdf", views.receipt_pdf, name="receipt-pdf"),
    path("application/<str:code>/rate/", views.rate, name="rate"),
    path("bundles/", bundles.bundle_list, name="bundles"),
    path("bundle/<slug:code>/", bundles.bundle_detail, name="bundle"),
    path("bundle/<slug:code>/apply/", bundles.bundle_apply, name="bundle-apply"),
    path("bundle-application/<int:pk>/", bundles.bundle_receipt, name="bundle-receipt"),
    path("bundle-application/<int:pk>/receipt.pdf", bundles.bundle_receipt_pdf, name="bundle-receipt-pdf"),
    path("wipe/", views.wipe, name="wipe"),
    path("elder/", elder.toggle, name="elder"),
]
