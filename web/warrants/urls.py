from django.urls import path

from . import views

app_name = "warrants"

urlpatterns = [
    path("warrants/", views.warrant_list, name="warrants"),
    path("warrants/new/", views.warrant_new, name="warrant_new"),
    path("warrants/<uuid:pk>/", views.warrant_detail, name="warrant"),
    path("warrants/<uuid:pk>/edit/", views.warrant_edit, name="warrant_edit"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/new/", views.notice_new, name="notice_new"),
    path("notices/<uuid:pk>/", views.notice_detail, name="notice"),
    path("notices/<uuid:pk>/edit/", views.notice_edit, name="notice_edit"),
]
