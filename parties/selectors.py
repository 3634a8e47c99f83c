"""Readers of parties, scoped to who asks; protected identities redacted (domain.md §1)."""

from typing import Any

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Case, F, Field, Prefetch, Q, QuerySet, When
from django.db.models.functions import Greatest

from .models import Party, Position
from .names import SKELETON_WEIGHT, search_key, skeleton

# Below this word similarity a name is not a match: "Bashar al Asad" scores 1 against the
# stored Bashar al-Assad, one typo about 0.6-0.8, an unrelated name under 0.4. The cut is
# pg_trgm.word_similarity_threshold, set to this per connection (config/settings.py), so
# that the indexed operator alone filters (each word_similarity costs: computed once more,
# for the rank of the rows kept, and never for the rows the index leaves out).
MIN_RANK = 0.5


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
        # The search column holds the real names too: only what every reader may match.
        party.search_names = party.search_shown
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
    return (
        Party.objects.annotate(shown_name=shown)
        # The reviewer is shown with every party (API `review.reviewer`): one join, not a
        # query per approved party.
        .select_related("reviewed_by")
        .prefetch_related(Prefetch("positions", queryset=Position.objects.order_by("started_on")))
    )


def parties_to_choose(user) -> QuerySet[Party]:
    """Parties for a choice list, ordered by the name shown."""
    return parties_visible_to(user).order_by("shown_name", "pk")


def party_search(user, q: str, *, within: QuerySet[Party] | None = None) -> QuerySet[Party]:
    """Parties whose names match `q` under any spelling or script, best match first.

    The one name search (API `q`, web lists, pickers, global search, duplicate warning):
    `q` is reduced by parties.names to a search key (and a skeleton, for Arabic and other
    unvowelled scripts) and compared by pg_trgm word similarity with the stored search
    column, through its GIN index; each party carries `search_rank` (0..1). `within`
    narrows an already scoped queryset (default: every party `user` may read).

    A protected party is matched only by its pseudonym for those who may not see its
    identity: they are searched against `search_shown`, which holds nothing else. A blank
    `q` returns every party, unranked; a `q` with nothing to compare (punctuation,
    particles only) returns none.
    """
    parties = parties_visible_to(user) if within is None else within
    if not q.strip():
        return parties
    key, skel = search_key(q), skeleton(q)
    if not key:
        return parties.none()
    column = "search_names" if can_see_protected(user) else "search_shown"
    match = Q(**{f"{column}__trigram_word_similar": key})
    rank: Any = TrigramWordSimilarity(key, column)
    if skel and skel != key:
        match |= Q(**{f"{column}__trigram_word_similar": skel})
        rank = Greatest(rank, SKELETON_WEIGHT * TrigramWordSimilarity(skel, column))
    return (
        parties.filter(match)
        .annotate(search_rank=rank)
        .order_by("-search_rank", "shown_name", "pk")
    )


# From this search rank a new party's name is worth a second look before it is kept.
DUPLICATE_RANK = 0.7


def possible_duplicates(user, party: Party, *, limit: int = 5) -> list[Party]:
    """Other parties `user` may read whose names closely match `party`'s (its name and
    original script), best first, each with `search_rank`; redacted for `user`.

    Through party_search, so a protected party is a candidate for those who may not see
    its identity only when its pseudonym matches, and then shown by its pseudonym.
    """
    best: dict[Any, Any] = {}
    for name in filter(None, (party.name, party.name_original)):
        found: Any = party_search(user, name)  # annotated with search_rank
        for other in found.filter(search_rank__gte=DUPLICATE_RANK).exclude(pk=party.pk)[:limit]:
            if other.pk not in best or other.search_rank > best[other.pk].search_rank:
                best[other.pk] = other
    ranked = sorted(best.values(), key=lambda p: (-p.search_rank, p.shown_name))
    return [redact(p, user) for p in ranked[:limit]]
