from django.urls import path

from . import views

app_name = "parties"

urlpatterns = [
    path("", views.party_list, name="list"),
    path("new/", views.party_new, name="new"),
    path("<uuid:pk>/", views.party_detail, name="detail"),
    path("<uuid:pk>/edit/", views.party_edit, name="edit"),
    path("<uuid:pk>/protection/", views.party_protection, name="protection"),
]
