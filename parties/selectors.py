"""Readers of parties, scoped to who asks; protected identities redacted (domain.md §1)."""

from typing import Any

from django.contrib.postgres.search import (
    TrigramSimilarity,
    TrigramStrictWordSimilarity,
    TrigramWordSimilarity,
)
from django.db.models import Case, F, Field, Max, Prefetch, Q, QuerySet, When

from .models import Party, Position
from .names import SKELETON_WEIGHT, search_key, skeleton, unvowelled


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


def shown_name(user, party: str = "") -> F | Case:
    """The name `user` sees, as SQL: a protected party's pseudonym for those who may not see
    more (the real name is then never read). `party`: the path to a related party, e.g.
    "subject" on a warrant; empty on a party queryset."""
    prefix = f"{party}__" if party else ""
    if can_see_protected(user):
        return F(f"{prefix}name")
    return Case(
        When(**{f"{prefix}protected": True}, then=F(f"{prefix}pseudonym")),
        default=F(f"{prefix}name"),
    )


def parties_visible_to(user) -> QuerySet[Party]:
    """Parties `user` may read, each annotated with `shown_name`: the name `user` sees (a
    protected party's pseudonym for those who may not see more). Order by it, never by
    `name`: an order by real name would hint at it."""
    if not (user and user.has_perm("parties.view_party")):
        return Party.objects.none()
    return (
        Party.objects.annotate(shown_name=shown_name(user))
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
    `q` is reduced by parties.names to a search key and a skeleton, and compared with each
    party's NameForm rows through their trigram indexes: keys by word similarity (the
    threshold is pg_trgm.word_similarity_threshold), skeletons by strict word similarity
    (pg_trgm.strict_word_similarity_threshold, config/settings.py), and only where one of
    the two names is written without short vowels (Arabic: a Latin query then finds an
    Arabic-only entry, and the reverse). Each party carries `search_rank` (0..1, its best
    form) and `search_closeness` (how alike the whole names are: ties go to the party
    whose name is the one typed, not one that merely contains it). `within` narrows an
    already scoped queryset (default: every party `user` may read).

    A protected party is matched only by its pseudonym for those who may not see its
    identity: its other forms are not `shown`. A blank `q` returns every party, unranked;
    a `q` with nothing to compare (punctuation, particles only) returns none.
    """
    parties = parties_visible_to(user) if within is None else within
    if not q.strip():
        return parties
    key, skel = search_key(q), skeleton(q)
    if not key:
        return parties.none()
    form = "name_forms__form"
    match = Q(name_forms__skeleton=False, **{f"{form}__trigram_word_similar": key})
    rank: Any = TrigramWordSimilarity(key, form)
    closeness: Any = TrigramSimilarity(form, key)
    if skel:
        across = Q(name_forms__skeleton=True, **{f"{form}__trigram_strict_word_similar": skel})
        if not unvowelled(q):
            across &= Q(name_forms__unvowelled=True)
        match |= across
        on_skeleton = Q(name_forms__skeleton=True)
        rank = Case(
            When(on_skeleton, then=SKELETON_WEIGHT * TrigramStrictWordSimilarity(skel, form)),
            default=rank,
        )
        closeness = Case(
            When(on_skeleton, then=SKELETON_WEIGHT * TrigramSimilarity(form, skel)),
            default=closeness,
        )
    if not can_see_protected(user):
        match &= Q(name_forms__shown=True)
    return (
        parties.filter(match)
        .annotate(search_rank=Max(rank), search_closeness=Max(closeness))
        .order_by(*SEARCH_ORDER)
    )


# Best match first: the closest in words, then in whole (the name typed before one that
# merely contains it), then by the name the reader sees.
SEARCH_ORDER = ("-search_rank", "-search_closeness", "shown_name", "pk")


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
