"""Template helpers of the web interface: translated terms, status badges, record labels."""

from django import template
from django.utils.html import format_html

from web import records, vocabulary

register = template.Library()


@register.filter
def term(word) -> str:
    """A domain identifier (status, transition, role...) in the reader's language."""
    return vocabulary.term(str(word or ""))


@register.simple_tag
def badge(status, label: str = "") -> str:
    status = str(status or "")
    return format_html(
        '<span class="badge badge-{}" data-status="{}">{}</span>',
        vocabulary.tone(status),
        status,
        label or vocabulary.term(status),
    )


@register.simple_tag(takes_context=True)
def label(context, record) -> str:
    """A record's label, redacted for the signed-in reader."""
    return records.label(record, context["request"].user)


@register.simple_tag(takes_context=True)
def party_name(context, party) -> str:
    return records.party_name(party, context["request"].user)


@register.filter
def offered(record, user) -> list:
    """The transitions `user` may perform on `record` now (`Workflow.allowed_for`)."""
    return record.workflow.allowed_for(record, user)


@register.filter
def url_of(record) -> str:
    return records.url_of(record)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (pagination keeps the filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return "?" + params.urlencode()


@register.filter
def resource_term(resource) -> str:
    return vocabulary.resource_term(str(resource or ""))


@register.filter
def warrant_kind(kind) -> str:
    """What a warrant of this kind is called as a whole ("Arrest warrant", "Mandat d'arrêt"):
    a kind and the word "warrant" do not combine word by word in every language."""
    return vocabulary.warrant_kind(str(kind or ""))


@register.filter
def notice_kind(kind) -> str:
    """What a notice of this kind is called as a whole ("Red notice", "Notice rouge")."""
    return vocabulary.notice_kind(str(kind or ""))
