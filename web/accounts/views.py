"""Two-factor pages: the second step of signing in, and enrolment with recovery codes."""

from __future__ import annotations

from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import two_factor
from core.accounts import two_factor_required
from web.accounts.two_factor import NEEDED, OFF, SESSION_KEY, has_device


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy("The 6 digits your authenticator app shows, or a recovery code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def clean_token(self) -> str:
        return "".join(self.cleaned_data["token"].split()).lower()


def next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return reverse("web:dashboard")


@never_cache
@sensitive_post_parameters("token")
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The step after the password: a code from the app, or one recovery code (used up)."""
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(next_url(request))
    if not has_device(user):
        return redirect(f"{reverse('two_factor_enroll')}?{request.GET.urlencode()}")
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        # Each device verifies its own kind of code, under its own throttle.
        model = TOTPDevice if token.isdigit() else StaticDevice
        with transaction.atomic():
            device = next(
                (
                    d
                    for d in model.objects.filter(user=user, confirmed=True)
                    if d.verify_token(token)
                ),
                None,
            )
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)d left. Make new ones in Settings.")
                    % {"left": left},
                )
            return redirect(next_url(request))
        form.add_error("token", _("This code is not valid, or was already used."))
        status = 400
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": next_url(request)},
        status=status,
    )


@never_cache
@sensitive_post_parameters("token")
@login_required
def two_factor_enroll(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app (shown as a QR code, its otpauth:// URI and its secret),
    confirmed by one code from it; then the recovery codes, shown once. Once enrolled
    (and signed in with it): new recovery codes, or turning two-factor off where the
    role does not require it."""
    user = request.user
    required = two_factor_required(user)
    enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    # The settings pages' links only for who may reach them: not while a factor is owed.
    owes = request.session.get(SESSION_KEY) == NEEDED and not user.is_verified()  # type: ignore[union-attr]
    if enrolled and not user.is_verified():  # type: ignore[union-attr]
        return redirect(f"{reverse('two_factor_verify')}?{request.GET.urlencode()}")
    action = request.POST.get("action", "")
    if enrolled:
        if request.method == "POST" and action == "recovery-codes":
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": two_factor.recovery_codes_issue(user=user)},
            )
        if request.method == "POST" and action == "turn-off" and not required:
            two_factor.two_factor_turn_off(user=user)
            request.session[SESSION_KEY] = OFF
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("two_factor_enroll")
        left = StaticToken.objects.filter(device__user=user).count()
        return render(
            request,
            "accounts/two_factor_enroll.html",
            {"enrolled": True, "required": required, "recovery_left": left, "owes": False},
        )
    device = two_factor.authenticator_pending(user=user)
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        codes = two_factor.authenticator_confirm(device=device, token=form.cleaned_data["token"])
        if codes is not None:
            otp_login(request, device)
            request.session[SESSION_KEY] = NEEDED
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": next_url(request), "first": True},
            )
        form.add_error("token", _("This code is not valid: check the time on your phone."))
        status = 400
    uri = device.config_url
    return render(
        request,
        "accounts/two_factor_enroll.html",
        {
            "enrolled": False,
            "required": required,
            "owes": owes,
            "form": form,
            "otpauth_uri": uri,
            "secret": b32encode(device.bin_key).decode(),
            "qr_svg": segno.make(uri, error="m").svg_inline(scale=4, title=_("QR code")),
            "next": next_url(request),
        },
        status=status,
    )
