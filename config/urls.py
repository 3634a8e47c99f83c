from django.contrib import admin
from django.urls import include, path

from web import health
from web.urls import account_patterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("api/", include("api.urls")),
    # Web interface (docs/ui.md).
    path("accounts/", include(account_patterns)),
    path("accounts/", include("web.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cases/", include("web.cases.urls")),
    path("parties/", include("web.parties.urls")),
    path("", include("web.warrants.urls")),
    path("alerts/", include("web.alerts.urls")),
    path("", include("web.urls")),
]
