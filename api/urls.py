"""URLs of the API: `/api/v1/` (the router), `/api/schema/`, `/api/docs/`.

Each resource module has a `register(router)` that adds its viewsets.
"""

from __future__ import annotations

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from api import events, key_views, sources
from api.alerts import views as alerts_views
from api.cases import views as cases_views
from api.parties import views as parties_views
from api.warrants import views as warrants_views

from .problems import not_found

API_MODULES = [
    cases_views,
    parties_views,
    warrants_views,
    events,
    key_views,
    alerts_views,
    sources,
]


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router(trailing_slash=True)
for module in API_MODULES:
    module.register(router)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^.*$", not_found),
]
