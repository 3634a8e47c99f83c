"""What every page's layout needs: the navigation entries the reader's role offers, and the
count of open alerts on the menu's badge."""

import logging
from functools import partial

from django.core.cache import cache
from django.http import HttpRequest
from redis.exceptions import RedisError

from alerts.selectors import alerts_visible_to
from parties.selectors import can_see_protected

log = logging.getLogger(__name__)

# Briefly: a page after acknowledging may show the old count for this long.
BADGE_SECONDS = 15


def open_alert_count(user) -> int:
    """Open alerts `user` may read (alerts.selectors), cached per user for BADGE_SECONDS.

    The key holds whether the user may see protected identities, the one thing besides the
    role that changes which alerts are theirs, so a change of it never shows a count taken
    with the other rights. Without the cache (Redis down) the count is just computed.
    """
    key = f"alert-badge:{user.pk}:{int(can_see_protected(user))}"
    try:
        cached = cache.get(key)
    except (RedisError, OSError) as exc:  # the cache is an optimisation: never a broken page
        log.warning("Alert badge cache unavailable: %s", exc)
        cached = None
    if cached is not None:
        return int(cached)
    count = alerts_visible_to(user).filter(status="open").order_by().count()
    try:
        cache.set(key, count, BADGE_SECONDS)
    except (RedisError, OSError) as exc:
        log.warning("Alert badge cache unavailable: %s", exc)
    return count


def forget_open_alert_count(user) -> None:
    """After `user` moved an alert: their next page counts again."""
    try:
        cache.delete_many([f"alert-badge:{user.pk}:{flag}" for flag in (0, 1)])
    except (RedisError, OSError) as exc:
        log.warning("Alert badge cache unavailable: %s", exc)


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_review": user.has_perm("parties.review_party") or user.has_perm("cases.review_charge"),
        "is_admin": user.is_superuser,
        # Called by the template only where it is shown (no query on pages without a menu).
        "open_alert_count": partial(open_alert_count, user),
    }
