"""Parties as the API shows them: protected identities redacted for whoever may not see them."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from api.serializers import (
    RECORD_FIELDS,
    ReviewStateSerializer,
    StrictModelSerializer,
    StrictSerializer,
)
from parties.models import Function, Party, Position
from parties.selectors import redact


def reader(serializer: serializers.Field) -> Any:
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class PartySummarySerializer(serializers.ModelSerializer):
    """A party nested in another record: id, kind, name (the pseudonym when protected)."""

    class Meta:
        model = Party
        fields = ["id", "kind", "name", "protected"]
        read_only_fields = fields

    def to_representation(self, instance: Party) -> dict[str, Any]:
        return super().to_representation(redact(instance, reader(self)))


class PositionSerializer(serializers.ModelSerializer):
    """A position held; head of state, head of government and foreign minister carry immunity."""

    personal_immunity = serializers.BooleanField(
        read_only=True, help_text="Carries personal immunity while held."
    )
    immunity = serializers.CharField(
        read_only=True,
        help_text="personal (ratione personae: a head of state, head of government or foreign "
        "minister of a State, while in office), functional (ratione materiae: another State "
        "office, for official acts; no bar to international crimes) or none.",
    )

    class Meta:
        model = Position
        fields = [
            "id",
            "title",
            "organisation",
            "function",
            "started_on",
            "ended_on",
            "state_office",
            "personal_immunity",
            "immunity",
        ]
        read_only_fields = ["id", "personal_immunity", "immunity"]


class PositionInputSerializer(StrictSerializer):
    title = serializers.CharField(
        max_length=200, help_text="e.g. President of the Syrian Arab Republic."
    )
    organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    function = serializers.ChoiceField(choices=Function.choices, required=False)
    started_on = serializers.DateField(required=False, allow_null=True)
    ended_on = serializers.DateField(required=False, allow_null=True)
    state_office = serializers.BooleanField(
        required=False,
        help_text="An office of a State (default true); false for an armed group's or a "
        "company's, which carries no immunity.",
    )


class PartySerializer(StrictModelSerializer):
    """A person or organisation. Protected: `name` is the pseudonym unless you may see them."""

    positions = PositionSerializer(many=True, read_only=True, help_text="Positions held.")
    review = ReviewStateSerializer(source="*", read_only=True, help_text="Lawyers' sign-off.")

    class Meta:
        model = Party
        fields = [
            *RECORD_FIELDS,
            "kind",
            "name",
            "name_original",
            "aliases",
            "birth_date",
            "nationalities",
            "protected",
            "pseudonym",
            "custody",
            "positions",
            "review",
        ]
        read_only_fields = RECORD_FIELDS

    def to_representation(self, instance: Party) -> dict[str, Any]:
        return super().to_representation(redact(instance, reader(self)))


class PartyCreateSerializer(PartySerializer):
    positions = PositionInputSerializer(many=True, required=False, help_text="Positions held.")  # type: ignore[assignment]

    class Meta(PartySerializer.Meta):
        pass


class PartyUpdateSerializer(PartySerializer):
    class Meta(PartySerializer.Meta):
        read_only_fields = [*RECORD_FIELDS, "kind"]


class ProtectionSerializer(StrictSerializer):
    """Protect a party's identity or lift its protection (lawyers, admins): one event, flagged."""

    protected = serializers.BooleanField(
        help_text="true: only those allowed see the identity; false: every reader sees it."
    )
    pseudonym = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="When protecting: the name shown instead (default: the party's pseudonym, "
        "if it has one). Not given when lifting protection.",
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=10000,
        help_text="Required: why, recorded with the event.",
    )


class DuplicateSerializer(serializers.Serializer):
    """An existing party whose name closely matches a new one's (as the reader may see it)."""

    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(
        read_only=True, help_text="The name shown (a pseudonym when protected)."
    )
    kind = serializers.CharField(read_only=True)
    similarity = serializers.FloatField(
        source="search_rank", read_only=True, help_text="Name similarity, 0 to 1."
    )


class PartyCreatedSerializer(PartySerializer):
    """The created party, with the existing parties whose names closely match it."""

    possible_duplicates = DuplicateSerializer(
        many=True,
        read_only=True,
        default=list,
        help_text="Existing parties with a closely matching name, best first (at most 5): "
        "check them before going on; a protected party appears only by its pseudonym.",
    )

    class Meta(PartySerializer.Meta):
        fields = [*PartySerializer.Meta.fields, "possible_duplicates"]
