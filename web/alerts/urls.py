from django.urls import path

from . import interpol, views

app_name = "alerts"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("following/", views.following, name="following"),
    path("following/<uuid:pk>/stop/", views.unfollow, name="unfollow"),
    path("<uuid:pk>/record/", views.record, name="record"),
    path("interpol-matches/<uuid:pk>/", interpol.match_detail, name="interpol_match"),
    path(
        "interpol-matches/<uuid:pk>/<str:decision>/",
        interpol.match_decide,
        name="interpol_decide",
    ),
    path("<uuid:pk>/<str:transition>/", views.move, name="move"),
]
