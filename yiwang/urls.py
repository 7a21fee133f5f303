from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

from yiwang.api import api
from yiwang.services.applications import urls as applications_urls

admin.site.site_header = _("yiwang 一网 · back office 后台")
admin.site.site_title = _("yiwang 一网")
admin.site.index_title = _("Back office 后台管理")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("open311/v2/", include("yiwang.operations.open311.urls")),
    path("accounts/", include("yiwang.core.urls")),
    path("territory/", include("yiwang.territory.urls")),
    path("notify/", include("yiwang.core.notify.urls")),
    path("reviews/", include("yiwang.reviews.urls")),
    path("ops/", include("yiwang.operations.web.staff_urls")),
    path("flood/", include("yiwang.sensing.flood.urls")),
    path("report/", include("yiwang.operations.web.resident_urls")),
    path("hotline/", include("yiwang.operations.web.hotline_urls")),
    path("services/licences/", include("yiwang.services.licences.urls")),
    path("services/apply/", include(applications_urls.portal_urlpatterns)),
    path("services/window/", include(applications_urls.window_urlpatterns)),
    path("services/approvals/", include(applications_urls.approval_urlpatterns)),
    path("services/kiosk/", include("yiwang.services.kiosk.urls")),
    path("services/bundles/", include("yiwang.services.bundles.urls")),
    path("services/", include("yiwang.services.catalogue.urls")),
    path("", include("yiwang.web.urls")),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
