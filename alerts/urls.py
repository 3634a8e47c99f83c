from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<uuid:pk>/<str:transition>/", views.move, name="move"),
]
