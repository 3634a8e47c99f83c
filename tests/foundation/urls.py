"""A tiny view performing a warrant transition over HTTP, so audit rows get a request context.

Mounted under a web path and an API path to show both channels.
"""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from core.events import Actor
from warrants.actions import warrant_transition


def transition(request: HttpRequest, warrant_id):
    warrant, event = warrant_transition(
        warrant_id=warrant_id,
        transition=request.POST["transition"],
        actor=Actor.for_user(request.user),
        effective_date=request.POST.get("effective_date"),
        note=request.POST.get("note", ""),
    )
    return JsonResponse({"status": warrant.status, "event": str(event.id)})


urlpatterns = [
    path("web/warrants/<uuid:warrant_id>/transition", transition),
    path("api/test/warrants/<uuid:warrant_id>/transition", transition),
]
