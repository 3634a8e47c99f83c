"""core.accounts.RoleBackend: a user's permissions, their own and their groups', in one
query; and a session signed in through Django's ModelBackend before it stays signed in."""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.accounts import FORMER_BACKEND


def test_own_and_group_permissions_are_read_in_one_query(db):
    user = User.objects.create_user("clerk")
    group = Group.objects.create(name="clerks")
    group.permissions.add(Permission.objects.get(codename="view_case"))
    user.groups.add(group)
    user.user_permissions.add(Permission.objects.get(codename="view_warrant"))
    user = User.objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as queries:
        assert user.has_perm("cases.view_case")
        assert user.has_perm("warrants.view_warrant")
        assert not user.has_perm("parties.view_protected_identity")
        assert user.has_module_perms("cases") and not user.has_module_perms("alerts")
    assert len(queries) == 1


def test_an_inactive_user_has_no_permission(db):
    user = User.objects.create_user("gone", is_active=False)
    user.user_permissions.add(Permission.objects.get(codename="view_case"))
    assert not User.objects.get(pk=user.pk).has_perm("cases.view_case")


def test_a_session_signed_in_through_the_former_backend_stays_signed_in(db, client, staff):
    client.force_login(staff, backend=FORMER_BACKEND)
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 200
    assert client.session[BACKEND_SESSION_KEY] == "core.accounts.RoleBackend"
