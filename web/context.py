"""What every page's layout needs: the navigation entries the reader's role offers."""

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_review": user.has_perm("parties.review_party") or user.has_perm("cases.review_charge"),
        "is_admin": user.is_superuser,
    }
