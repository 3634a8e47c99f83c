"""URLs of the API: `/api/v1/` (the router), `/api/schema/`, `/api/docs/`.

To add endpoints, an app defines in its `api.py`:

    def register(router):
        router.register("alerts", AlertViewSet, basename="alert")

and its module is listed in API_MODULES. A listed module that does not exist
yet is skipped, so an app can land its `api.py` whenever it is ready.
"""

from __future__ import annotations

import importlib
import importlib.util

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from .problems import not_found

API_MODULES = [
    "cases.api",
    "parties.api",
    "warrants.api",
    "casetracker.api.events",
    "casetracker.api.key_views",
    "alerts.api",
]


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router(trailing_slash=True)
for module_name in API_MODULES:
    if importlib.util.find_spec(module_name) is not None:
        importlib.import_module(module_name).register(router)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^.*$", not_found),
]
