from django.urls import path

from . import calendar, proceedings, views

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
    path("proceedings/new/", proceedings.proceeding_new, name="proceeding_new"),
    path("proceedings/<uuid:pk>/", proceedings.proceeding_detail, name="proceeding"),
    path("proceedings/<uuid:pk>/edit/", proceedings.proceeding_edit, name="proceeding_edit"),
    path("deadlines/new/", proceedings.deadline_new, name="deadline_new"),
    path("deadlines/<uuid:pk>/", proceedings.deadline_detail, name="deadline"),
    path("deadlines/<uuid:pk>/edit/", proceedings.deadline_edit, name="deadline_edit"),
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar/case/<uuid:pk>/", calendar.case_calendar, name="case_calendar"),
    path("calendar/feed/", calendar.calendar_feed_settings, name="calendar_feed"),
    path("calendar/feed/<str:token>.ics", calendar.calendar_ics, name="calendar_ics"),
]
