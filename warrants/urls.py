from django.urls import path

from . import views

app_name = "warrants"

urlpatterns = [
    path("warrants/", views.warrant_list, name="warrants"),
    path("warrants/<uuid:pk>/", views.warrant_detail, name="warrant"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<uuid:pk>/", views.notice_detail, name="notice"),
]
