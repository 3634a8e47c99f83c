"""Labels read as English written by a person (choices, records) and are translated."""

import html

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from django_countries.fields import CountryField

from tests import builders
from warrants.actions import warrant_transition
from web import records

DOMAIN_APPS = ("cases", "parties", "warrants", "alerts")


def choice_fields(app_labels):
    for app_label in app_labels:
        for model in apps.get_app_config(app_label).get_models():
            for field in model._meta.get_fields():
                # Country names come translated with django-countries.
                if getattr(field, "choices", None) and not isinstance(field, CountryField):
                    yield model, field


def test_choice_labels_are_not_generated_from_their_values():
    generated = []
    with translation.override("en"):
        for model, field in choice_fields(DOMAIN_APPS):
            for value, label in field.choices:
                if "_" in value and str(label) == value.replace("_", " ").title():
                    generated.append(f"{model._meta.label}.{field.name}: {label}")
    assert generated == []


# French words spelt as in English.
SAME_IN_FRENCH = {"Commission", "Orange", "Torture", "suspect"}


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_domain_choice_labels_are_translated(language):
    untranslated = set()
    for _model, field in choice_fields(("cases", "parties", "warrants")):
        for _value, label in field.choices:
            with translation.override("en"):
                english = str(label)
            with translation.override(language):
                if str(label) == english:
                    untranslated.add(english)
    if language == "fr":
        untranslated -= SAME_IN_FRENCH
    assert untranslated == set()


def test_the_case_page_shows_a_mode_of_liability_in_the_readers_language(
    client, viewer, system, case, accused
):
    builders.charge(system, case, accused, mode_of_liability="aiding_abetting")
    client.force_login(viewer)
    url = reverse("cases:detail", args=[case.pk])
    assert "Aiding and abetting" in client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert "Aide et assistance" in client.get(url).content.decode()


def test_the_french_interface_names_a_warrant_in_french(client, viewer, warrant):
    client.force_login(viewer)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    page = html.unescape(client.get(reverse("web:history", args=["warrant", warrant.pk])).text)
    subject = warrant.subject.name
    assert f"Mandat d'arrêt {warrant.reference} — {subject}" in page
    assert "Arrest warrant" not in page


def test_record_labels_follow_the_language(viewer, system, warrant):
    warrant, _ = warrant_transition(
        warrant_id=warrant.pk, transition="issue", actor=system, effective_date="2023-11-14"
    )
    notice = builders.red_notice(system, warrant, interpol_id="2023/12345")
    subject = warrant.subject.name
    with translation.override("en"):
        assert records.label(warrant, viewer) == f"Arrest warrant {warrant.reference} — {subject}"
        assert records.label(notice, viewer) == f"Red notice 2023/12345 — {subject}"
    with translation.override("fr"):
        assert records.label(notice, viewer) == f"Notice rouge 2023/12345 — {subject}"
    with translation.override("ar"):
        assert records.label(notice, viewer) == f"نشرة حمراء 2023/12345 — {subject}"
