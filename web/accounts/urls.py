"""Two-factor sign-in pages, under /accounts/ with the sign-in views."""

from django.urls import path

from web.accounts import views

urlpatterns = [
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/setup/", views.two_factor_enroll, name="two_factor_enroll"),
]
