"""Writers of a user's second factors (django-otp devices): each one transaction, so a
failure halfway never leaves a user with no recovery codes or half a device."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10


@transaction.atomic
def recovery_codes_issue(*, user: Any) -> list[str]:
    """Replace `user`'s recovery codes with new ones; returns them (they are shown once)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def authenticator_pending(*, user: Any) -> TOTPDevice:
    """The authenticator app `user` is enrolling (created unconfirmed on first use)."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return pending or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=False
    )


@transaction.atomic
def authenticator_confirm(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device with a code from it and issue the first recovery codes (returned,
    shown once); None, and nothing changed, if the code is wrong."""
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_issue(user=device.user)


@transaction.atomic
def two_factor_turn_off(*, user: Any) -> None:
    """Remove every second factor of `user` (the caller checks their role allows it)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
