"""Who must sign in with a second factor: a permission an admin grants to a role.

No table of its own: `Account` is a proxy of the user model that only carries the
permission `casetracker.require_two_factor`. Given to a role's group (or to one
user) in the admin, it takes effect at their next sign-in; taken away, the second
factor becomes optional again.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q

REQUIRE_TWO_FACTOR = "require_two_factor"


class Account(User):
    """A user as the sign-in policy sees them (proxy: the auth_user table)."""

    class Meta:
        proxy = True
        default_permissions = ()
        permissions = [(REQUIRE_TWO_FACTOR, "Must sign in with two-factor authentication")]
        verbose_name = "account"


def two_factor_required(user: Any) -> bool:
    """Whether a grant of `require_two_factor` reaches `user`, by a group or their own.

    Read from the grants, not with `has_perm`: a superuser has every permission, yet
    needs a second factor only where an admin asked for it.
    """
    grants = Permission.objects.filter(
        content_type__app_label="casetracker", codename=REQUIRE_TWO_FACTOR
    )
    return grants.filter(Q(group__user=user) | Q(user=user)).exists()


class RoleBackend(ModelBackend):
    """Django's model backend, reading a user's permissions, their own and their groups',
    in one plain query rather than two built by the ORM: every API request and every page
    checks one, and building those two cost more than running them.

    Sessions signed in through ModelBackend before it are moved to it
    (`former_backend_sessions`), not signed out.
    """

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            with connection.cursor() as cursor:
                query = _ALL_PERMISSIONS if user_obj.is_superuser else _PERMISSIONS_OF
                cursor.execute(query, {"user": user_obj.pk})
                user_obj._perm_cache = {f"{app}.{codename}" for app, codename in cursor}
        return user_obj._perm_cache


FORMER_BACKEND = "django.contrib.auth.backends.ModelBackend"


def former_backend_sessions(get_response: Any) -> Any:
    """Middleware, before AuthenticationMiddleware: a session signed in through
    FORMER_BACKEND now names RoleBackend (Django signs out a session whose backend is not
    in AUTHENTICATION_BACKENDS). A session without a cookie is not loaded for this."""

    def middleware(request: Any) -> Any:
        if request.session.get(BACKEND_SESSION_KEY) == FORMER_BACKEND:
            request.session[BACKEND_SESSION_KEY] = f"{__name__}.{RoleBackend.__name__}"
        return get_response(request)

    return middleware


_TABLES = {
    "permission": Permission._meta.db_table,
    "content_type": ContentType._meta.db_table,
    "user_permissions": User.user_permissions.through._meta.db_table,
    "groups": User.groups.through._meta.db_table,
    "group_permissions": Group.permissions.through._meta.db_table,
}
_ALL_PERMISSIONS = """
    SELECT ct.app_label, p.codename FROM {permission} p
    JOIN {content_type} ct ON ct.id = p.content_type_id
""".format(**_TABLES)
_PERMISSIONS_OF = (
    _ALL_PERMISSIONS
    + """
    WHERE p.id IN (
        SELECT permission_id FROM {user_permissions} WHERE user_id = %(user)s
        UNION
        SELECT gp.permission_id FROM {group_permissions} gp
        JOIN {groups} ug ON ug.group_id = gp.group_id WHERE ug.user_id = %(user)s
    )
""".format(**_TABLES)
)
