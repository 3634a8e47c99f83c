"""Readers of parties, scoped to who asks; protected identities redacted (domain.md §1)."""

from django.db.models import Case, F, Field, Prefetch, Q, QuerySet, When

from .models import Party, Position


def can_see_protected(user) -> bool:
    return bool(user and user.has_perm("parties.view_protected_identity"))


def redact(party: Party, user) -> Party:
    """Show `party` as `user` may see it: a protected party's real identity becomes its pseudonym.

    Works on the in-memory instance only (never saved: actions re-read rows under lock).
    Call it on every party a response or page shows, nested ones included.
    """
    if party.protected and not can_see_protected(user) and not party.redacted:
        for field, value in hidden_identity(party.pseudonym).items():
            setattr(party, field, value)
        # Positions would identify the person: hide them from the prefetch cache too.
        party._prefetched_objects_cache = {"positions": Position.objects.none()}  # type: ignore[attr-defined]
        party.redacted = True
    return party


def hidden_identity(pseudonym: str) -> dict:
    """The identity fields as shown for a protected party: its pseudonym, the rest blank."""
    fields = (Party._meta.get_field(f) for f in Party.IDENTITY_FIELDS)
    blank = {f.name: f.get_default() for f in fields if isinstance(f, Field)}
    return {**blank, "name": pseudonym}


def parties_visible_to(user) -> QuerySet[Party]:
    """Parties `user` may read, each annotated with `shown_name`: the name `user` sees (a
    protected party's pseudonym for those who may not see more). Order by it, never by
    `name`: an order by real name would hint at it."""
    if not (user and user.has_perm("parties.view_party")):
        return Party.objects.none()
    shown = (
        F("name")
        if can_see_protected(user)
        else Case(When(protected=True, then=F("pseudonym")), default=F("name"))
    )
    return Party.objects.annotate(shown_name=shown).prefetch_related(
        Prefetch("positions", queryset=Position.objects.order_by("started_on"))
    )


def parties_to_choose(user) -> QuerySet[Party]:
    """Parties for a choice list, ordered by the name shown."""
    return parties_visible_to(user).order_by("shown_name", "pk")


def party_search(user, q: str) -> QuerySet[Party]:
    """Parties whose names match `q`.

    Never matches a protected party's real names for those who may not see them.
    """
    q = q.strip()
    parties = parties_visible_to(user)
    if not q:
        return parties
    real_names = Q(name__icontains=q) | Q(name_original__icontains=q) | Q(aliases__icontains=[q])
    if not can_see_protected(user):
        real_names = (real_names & Q(protected=False)) | Q(protected=True, pseudonym__icontains=q)
    return parties.filter(real_names)
