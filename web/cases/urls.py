from django.urls import path

from web import exports

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("<uuid:pk>/", views.case_detail, name="detail"),
    path("<uuid:pk>/edit/", views.case_edit, name="edit"),
    path("<uuid:pk>/chronology.<str:kind>", exports.case_dossier, name="dossier"),
    path("<uuid:pk>/incidents/new/", views.incident_new, name="incident_new"),
    path("incidents/<uuid:pk>/edit/", views.incident_edit, name="incident_edit"),
    path("<uuid:pk>/participations/new/", views.participation_new, name="participation_new"),
    path(
        "participations/<uuid:pk>/counsel/new/",
        views.representation_new,
        name="representation_new",
    ),
    path("representations/<uuid:pk>/edit/", views.representation_edit, name="representation_edit"),
    path("<uuid:pk>/charges/new/", views.charge_new, name="charge_new"),
    path("charges/<uuid:pk>/edit/", views.charge_edit, name="charge_edit"),
]
