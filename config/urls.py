from django.contrib import admin
from django.urls import include, path

from casetracker import health
from casetracker.web.urls import account_patterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("api/", include("casetracker.api.urls")),
    # Web interface (docs/ui.md).
    path("accounts/", include(account_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cases/", include("cases.urls")),
    path("parties/", include("parties.urls")),
    path("", include("warrants.urls")),
    path("alerts/", include("alerts.urls")),
    path("", include("casetracker.web.urls")),
]
