from django.contrib.auth import views as auth_views
from django.urls import path

from . import follow_views, import_views, search, settings_views, sources, views

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<str:resource>/<uuid:pk>/", views.review, name="review"),
    path("transition/<str:resource>/<uuid:pk>/", views.transition, name="transition"),
    path("history/<str:resource>/<uuid:pk>/", views.record_history, name="history"),
    path("settings/users/", views.users, name="users"),
    path("settings/users/<int:pk>/", views.user_edit, name="user_edit"),
    path("settings/api-keys/", settings_views.api_keys, name="api_keys"),
    path(
        "settings/api-keys/<uuid:pk>/revoke/",
        settings_views.api_key_revoke_view,
        name="api_key_revoke",
    ),
    path("settings/webhooks/", settings_views.webhook_list, name="webhooks"),
    path("settings/webhooks/<uuid:pk>/", settings_views.webhook_detail, name="webhook"),
    path(
        "settings/webhooks/deliveries/<uuid:pk>/redeliver/",
        settings_views.webhook_redeliver,
        name="redeliver",
    ),
    path("follow/<str:kind>/<uuid:pk>/", follow_views.follow, name="follow"),
    path("imports/", import_views.csv_import, name="csv_import"),
    path("search/", search.search_page, name="search"),
    path("pick/<str:kind>/", search.pick, name="pick"),
    path("sources/", sources.source_list, name="sources"),
    path("sources/<uuid:pk>/", sources.source_detail, name="source"),
    path("sources/<uuid:pk>/download/", sources.source_download, name="source_download"),
    path("sources/<uuid:pk>/preview/", sources.source_preview, name="source_preview"),
    path("sources/attach/<str:resource>/<uuid:pk>/", sources.source_attach, name="source_attach"),
]

# Sign-in, sign-out and password reset by email: Django's own views, our templates.
account_patterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
