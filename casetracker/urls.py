from django.contrib import admin
from django.urls import include, path

from casetracker import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("api/", include("casetracker.api.urls")),
]
