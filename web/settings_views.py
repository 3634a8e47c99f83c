"""Settings pages: API keys (created once, shown once) and webhook endpoints with their
delivery log. Everyone manages their own; admins see and manage everyone's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alerts import webhooks
from alerts.models import WebhookDelivery, WebhookEndpoint
from alerts.selectors import deliveries_of, webhooks_visible_to
from core.actions import VersionConflict
from core.events import Actor
from core.forms import apply_errors
from core.keys import api_key_create, api_key_revoke, api_keys_visible_to
from web.forms import ApiKeyForm, EndpointActiveForm, WebhookForm
from web.views import conflict_message


@login_required
def api_keys(request: HttpRequest) -> HttpResponse:
    owners = User.objects.filter(is_active=True).order_by("username")
    form = ApiKeyForm(request.POST or None, owners=owners if request.user.is_superuser else None)
    raw = ""
    if request.method == "POST" and form.is_valid():
        try:
            _key, raw = api_key_create(
                owner=form.cleaned_data.get("owner") or request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=form.cleaned_data["expires_at"],
                created_by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            form = ApiKeyForm(owners=owners if request.user.is_superuser else None)
    return render(
        request,
        "web/settings_api_keys.html",
        {"keys": api_keys_visible_to(request.user), "form": form, "raw": raw},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def api_key_revoke_view(request: HttpRequest, pk) -> HttpResponse:
    try:
        key = api_key_revoke(key_id=pk, by=request.user)
    except api_keys_visible_to(request.user).model.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Key %(name)s revoked.") % {"name": key.name})
    return redirect("web:api_keys")


@login_required
def webhook_list(request: HttpRequest) -> HttpResponse:
    form = WebhookForm(request.POST or None)
    secret, created = "", None
    if request.method == "POST" and form.is_valid():
        try:
            created = webhooks.endpoint_create(
                actor=Actor.for_user(request.user),
                url=form.cleaned_data["url"],
                event_types=form.cleaned_data["event_types"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            secret, form = created.secret, WebhookForm()
    return render(
        request,
        "web/settings_webhooks.html",
        {
            "endpoints": webhooks_visible_to(request.user).order_by("created_at"),
            "form": form,
            "secret": secret,
            "created": created,
        },
        status=400 if form.errors else 200,
    )


@login_required
def webhook_detail(request: HttpRequest, pk) -> HttpResponse:
    endpoint = get_object_or_404(webhooks_visible_to(request.user), pk=pk)
    conflict, refused = "", False
    form = EndpointActiveForm(request.POST or None, initial={"expected_version": endpoint.version})
    if request.method == "POST" and not form.is_valid():
        refused = True
        messages.error(request, _("This form was changed in transit: reload the page."))
    elif request.method == "POST":
        try:
            webhooks.endpoint_update(
                actor=Actor.for_user(request.user),
                endpoint_id=endpoint.pk,
                expected_version=form.cleaned_data["expected_version"],
                active=form.cleaned_data["active"],
            )
        except VersionConflict as error:
            conflict = conflict_message(error.record)
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(request, _("Endpoint saved."))
            return redirect("web:webhook", endpoint.pk)
    return render(
        request,
        "web/settings_webhook.html",
        {
            "endpoint": endpoint,
            "deliveries": deliveries_of(endpoint)[:50],
            "conflict": conflict,
        },
        status=409 if conflict else 400 if refused else 200,
    )


@login_required
@require_POST
def webhook_redeliver(request: HttpRequest, pk) -> HttpResponse:
    delivery = get_object_or_404(
        WebhookDelivery.objects.filter(endpoint__in=webhooks_visible_to(request.user)), pk=pk
    )
    try:
        webhooks.delivery_redeliver(actor=Actor.for_user(request.user), delivery_id=delivery.pk)
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    except WebhookEndpoint.DoesNotExist:
        raise Http404 from None
    else:
        messages.success(request, _("Redelivery queued."))
    return redirect("web:webhook", delivery.endpoint_id)
