"""Who must sign in with a second factor: a permission an admin grants to a role.

No table of its own: `Account` is a proxy of the user model that only carries the
permission `casetracker.require_two_factor`. Given to a role's group (or to one
user) in the admin, it takes effect at their next sign-in; taken away, the second
factor becomes optional again.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission, User
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
