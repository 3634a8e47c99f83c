from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("following/", views.following, name="following"),
    path("following/<uuid:pk>/stop/", views.unfollow, name="unfollow"),
    path("<uuid:pk>/<str:transition>/", views.move, name="move"),
]
