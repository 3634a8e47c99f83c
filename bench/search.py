"""Benchmark (not a test): name search over 100k parties with 300k aliases in several scripts.

    .venv/bin/python bench/search.py          # `make bench` runs it

Its own database (BENCH_SEARCH_DATABASE_URL, default ct_bench_search), dropped and made
again for each checkout measured: migrated by that checkout (BENCH_APP_ROOT, default this
one; BENCH_BEFORE_ROOT, if set, e.g. a worktree of 3405d04, is measured the same way as
"before"), then filled with BENCH_SEARCH_PARTIES parties (default 100,000) through COPY:
"first father family" names from Latin, Arabic and Cyrillic lists, an original-script name
for two in three, three aliases each (a French transliteration, the Cyrillic form,
"Family, First"), one in fifty protected with a pseudonym. Where the checkout has name
forms (parties.NameForm) they are written with its own parties.models.name_forms_of, as
Party.save() would.

Measured in a process of the checkout (its Django, its selector): BENCH_SEARCH_QUERIES
queries (default 300; a stored name, an alias, the original script, a typo, word order
changed, and one in ten a name that is not there), each the first API page (50) of
`party_search(viewer, q)` evaluated with its prefetch, after a warm-up. Prints p50/p95/p99
in ms, how many of their plans read parties or their name forms by a sequential scan, how
often the stored party comes first, and merges the figures into bench/results.json under
"search" (read-modify-write: other benchmarks own other keys).
"""

# Names in Arabic and Cyrillic scripts look like Latin ones to ruff; they are meant.
# ruff: noqa: RUF001

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PARTIES = int(os.environ.get("BENCH_SEARCH_PARTIES", 100_000))
QUERIES = int(os.environ.get("BENCH_SEARCH_QUERIES", 300))
DATABASE_URL = os.environ.get(
    "BENCH_SEARCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ct_bench_search"
)
RESULTS = ROOT / "bench" / "results.json"

# (Latin, French transliteration, Arabic, Cyrillic)
FIRST = [
    ("Bashar", "Bachar", "بشار", "Башар"),
    ("Maher", "Maher", "ماهر", "Махер"),
    ("Ghassan", "Ghassane", "غسان", "Гассан"),
    ("Jamil", "Djamil", "جميل", "Джамиль"),
    ("Ali", "Ali", "علي", "Али"),
    ("Hussein", "Houssein", "حسين", "Хусейн"),
    ("Mohammed", "Mohamed", "محمد", "Мухаммед"),
    ("Ahmad", "Ahmed", "أحمد", "Ахмад"),
    ("Youssef", "Youssef", "يوسف", "Юсуф"),
    ("Khaled", "Khaled", "خالد", "Халед"),
    ("Omar", "Omar", "عمر", "Омар"),
    ("Rami", "Rami", "رامي", "Рами"),
    ("Fadi", "Fadi", "فادي", "Фади"),
    ("Samir", "Samir", "سمير", "Самир"),
    ("Nabil", "Nabil", "نبيل", "Набиль"),
    ("Tarek", "Tarek", "طارق", "Тарек"),
    ("Walid", "Oualid", "وليد", "Валид"),
    ("Ziad", "Ziad", "زياد", "Зияд"),
    ("Hassan", "Hassane", "حسن", "Хасан"),
    ("Ibrahim", "Ibrahim", "إبراهيم", "Ибрахим"),
    ("Mustafa", "Moustafa", "مصطفى", "Мустафа"),
    ("Suleiman", "Souleiman", "سليمان", "Сулейман"),
    ("Anwar", "Anouar", "أنور", "Анвар"),
    ("Bassam", "Bassam", "بسام", "Бассам"),
    ("Karim", "Karim", "كريم", "Карим"),
    ("Nizar", "Nizar", "نزار", "Низар"),
    ("Rifaat", "Rifaat", "رفعت", "Рифаат"),
    ("Salim", "Salim", "سليم", "Салим"),
    ("Adnan", "Adnane", "عدنان", "Аднан"),
    ("Fawaz", "Fawaz", "فواز", "Фаваз"),
    ("Hafez", "Hafez", "حافظ", "Хафез"),
    ("Issam", "Issam", "عصام", "Исам"),
    ("Jihad", "Djihad", "جهاد", "Джихад"),
    ("Louay", "Louai", "لؤي", "Луай"),
    ("Majd", "Majd", "مجد", "Маджд"),
    ("Qusay", "Koussai", "قصي", "Кусай"),
    ("Riad", "Riyad", "رياض", "Рияд"),
    ("Shadi", "Chadi", "شادي", "Шади"),
    ("Wael", "Wael", "وائل", "Ваэль"),
    ("Yasser", "Yasser", "ياسر", "Ясир"),
]
FAMILY = [
    ("al-Assad", "el-Assad", "الأسد", "Асад"),
    ("Abbas", "Abbas", "عباس", "Аббас"),
    ("Hassan", "Hassane", "حسن", "Хасан"),
    ("Mamlouk", "Mamlouk", "مملوك", "Мамлюк"),
    ("al-Hassan", "el-Hassan", "الحسن", "аль-Хасан"),
    ("Makhlouf", "Makhlouf", "مخلوف", "Махлюф"),
    ("Shalish", "Chalich", "شاليش", "Шалиш"),
    ("Haddad", "Haddad", "حداد", "Хаддад"),
    ("Khoury", "Khoury", "خوري", "Хури"),
    ("Nasser", "Nasser", "ناصر", "Насер"),
    ("Saleh", "Saleh", "صالح", "Салех"),
    ("Darwish", "Darwiche", "درويش", "Дарвиш"),
    ("Hamdan", "Hamdane", "حمدان", "Хамдан"),
    ("Jaber", "Jaber", "جابر", "Джабер"),
    ("Kassem", "Kassem", "قاسم", "Касем"),
    ("Mansour", "Mansour", "منصور", "Мансур"),
    ("Othman", "Otmane", "عثمان", "Осман"),
    ("Rahal", "Rahal", "رحال", "Рахаль"),
    ("Sabbagh", "Sabbagh", "صباغ", "Саббах"),
    ("Tlass", "Tlass", "طلاس", "Тласс"),
    ("Zaher", "Zaher", "زاهر", "Захер"),
    ("al-Khatib", "el-Khatib", "الخطيب", "аль-Хатиб"),
    ("Qaddour", "Kaddour", "قدور", "Каддур"),
    ("Barakat", "Barakat", "بركات", "Баракат"),
    ("Fares", "Fares", "فارس", "Фарес"),
    ("Ghanem", "Ghanem", "غانم", "Ганем"),
    ("Hijazi", "Hijazi", "حجازي", "Хиджази"),
    ("Ismail", "Ismail", "إسماعيل", "Исмаил"),
    ("Jumaa", "Joumaa", "جمعة", "Джумаа"),
    ("Kanaan", "Kanaan", "كنعان", "Канаан"),
    ("Lahham", "Lahham", "لحام", "Лаххам"),
    ("Mousa", "Moussa", "موسى", "Муса"),
    ("Nakhleh", "Nakhlé", "نخلة", "Нахле"),
    ("Qassab", "Kassab", "قصاب", "Кассаб"),
    ("Rizk", "Rizk", "رزق", "Ризк"),
    ("Sayegh", "Sayegh", "صايغ", "Сайег"),
    ("Tannous", "Tannous", "طنوس", "Таннус"),
    ("Wehbe", "Wehbé", "وهبة", "Вехбе"),
    ("Yazbek", "Yazbeck", "يزبك", "Язбек"),
    ("Zoubi", "Zoubi", "زعبي", "Зуби"),
]
UNRELATED = [
    "Jean Dupont",
    "Marie Curie",
    "Nguyen Van Thieu",
    "Olga Petrova",
    "John Smith",
    "Erik Johansson",
    "Chiara Rossi",
    "Pedro Alvarez",
]


# Generated words: consonant-vowel syllables, written in Latin (and a French spelling),
# Arabic (consonants and long vowels, as Arabic is written) and Cyrillic.
CONSONANTS = [
    # Latin, French, Arabic, Cyrillic
    ("b", "b", "ب", "б"), ("t", "t", "ت", "т"), ("d", "d", "د", "д"), ("r", "r", "ر", "р"),
    ("z", "z", "ز", "з"), ("s", "ss", "س", "с"), ("sh", "ch", "ش", "ш"), ("f", "f", "ف", "ф"),
    ("q", "k", "ق", "к"), ("k", "k", "ك", "к"), ("l", "l", "ل", "л"), ("m", "m", "م", "м"),
    ("n", "n", "ن", "н"), ("h", "h", "ح", "х"), ("j", "dj", "ج", "дж"), ("kh", "kh", "خ", "х"),
    ("gh", "gh", "غ", "г"), ("w", "ou", "و", "в"), ("y", "y", "ي", "й"),
]  # fmt: skip
VOWELS = [("a", "a", "ا", "а"), ("i", "i", "ي", "и"), ("u", "ou", "و", "у"), ("a", "a", "", "а")]


def word(n: int, syllables: int) -> tuple[str, str, str, str]:
    """The n-th generated word of `syllables` syllables, in four spellings."""
    parts = []
    for _ in range(syllables):
        c = CONSONANTS[n % len(CONSONANTS)]
        n //= len(CONSONANTS)
        v = VOWELS[n % len(VOWELS)]
        n //= len(VOWELS)
        parts.append(tuple(a + b for a, b in zip(c, v, strict=True)))
    latin, french, arabic, cyrillic = ("".join(p[i] for p in parts) for i in range(4))
    return latin.capitalize(), french.capitalize(), arabic, cyrillic.capitalize()


def party_row(n: int) -> dict[str, Any]:
    """Party n's names: a function of n only (the same rows for every checkout). One in
    twenty from the short lists of real Syrian names above (dense clusters of namesakes:
    40 first names x 40 families), the rest generated (a few thousand first names, tens of
    thousands of families, as a real register has)."""
    if n % 20 == 0:
        m = n // 20
        first = FIRST[m % len(FIRST)]
        father = FIRST[(m // len(FIRST)) % len(FIRST)]
        family = FAMILY[(m // len(FIRST) ** 2) % len(FAMILY)]
    else:
        h = (n * 2654435761) % 2**32  # spread n over the generated words
        first = word(h % 5000, 2)
        father = word((h // 5000) % 5000, 2)
        family = word((n * 40503) % 60000, 3)
    name = f"{first[0]} {father[0]} {family[0]}"
    original = f"{first[2]} {father[2]} {family[2]}" if n % 3 else ""
    aliases = [
        f"{first[1]} {father[1]} {family[1]}",
        f"{first[3]} {father[3]} {family[3]}",
        f"{family[0]}, {first[0]}",
    ]
    protected = n % 50 == 7
    return {
        "id": uuid.UUID(int=n + 1),
        "name": name,
        "name_original": original,
        "aliases": aliases,
        "protected": protected,
        "pseudonym": f"Witness {n}" if protected else "",
    }


def queries() -> list[str]:
    """The measured queries: spellings of stored names, one in ten unrelated."""
    out = []
    step = max(PARTIES // QUERIES, 1)
    for i in range(QUERIES):
        if i % 10 == 9:
            out.append(UNRELATED[i % len(UNRELATED)])
            continue
        row = party_row((i * step * 7919) % PARTIES)
        kind = i % 6
        if kind == 0:
            out.append(row["name"])
        elif kind == 1:
            out.append(row["aliases"][0])
        elif kind == 2:
            out.append(row["name_original"] or row["aliases"][1])
        elif kind == 3:
            name = row["name"]
            out.append(name[:3] + name[4:])  # a typo: one letter dropped
        elif kind == 4:
            out.append(row["aliases"][2])
        else:
            out.append(row["name"].upper())
    return out


# Loading ---------------------------------------------------------------------------------


def recreate_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    with psycopg.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')


def app_env(app_root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(app_root),
        "BENCH_APP_ROOT": str(app_root),
    }


def run_in(app_root: Path, *args: str, **kwargs: Any) -> subprocess.CompletedProcess:
    python = str(ROOT / ".venv/bin/python")
    return subprocess.run(
        [python, *args], check=True, env=app_env(app_root), cwd=app_root, **kwargs
    )


def load() -> dict[str, Any]:
    """Inside a checkout's process: COPY the parties, and their name forms where the
    checkout has them (parties.models.name_forms_of, as Party.save() writes them)."""
    import django

    django.setup()
    from django.db import connection

    from parties import models

    searchable = hasattr(models, "NameForm")
    started = time.monotonic()
    names = [
        "id", "kind", "name", "name_original", "aliases", "birth_date", "nationalities",
        "protected", "pseudonym", "custody", "review", "review_comment", "created_at",
        "updated_at", "version",
    ]  # fmt: skip
    aliases = forms = 0
    with connection.cursor() as cursor:
        # The audit and version triggers are not what is measured: off for the load.
        cursor.execute("SET session_replication_role = replica")
        raw = cursor.cursor
        with raw.copy(f"COPY parties_party ({', '.join(names)}) FROM STDIN") as copy:
            for n in range(PARTIES):
                row = party_row(n)
                aliases += len(row["aliases"])
                copy.write_row([
                    row["id"], "person", row["name"], row["name_original"], row["aliases"],
                    "", ["SY"], row["protected"], row["pseudonym"], "at_large",
                    "unreviewed", "", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z", 1,
                ])  # fmt: skip
        if searchable:
            columns = "party_id, form, skeleton, unvowelled, shown"
            with raw.copy(f"COPY parties_nameform ({columns}) FROM STDIN") as copy:
                for n in range(PARTIES):
                    row = party_row(n)
                    party = models.Party(
                        **{k: row[k] for k in ("name", "name_original", "aliases", "protected")},
                        pseudonym=row["pseudonym"],
                    )
                    for form in models.name_forms_of(party):
                        forms += 1
                        copy.write_row([row["id"], *form.values()])
        cursor.execute("SET session_replication_role = DEFAULT")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {
        "parties": PARTIES,
        "aliases": aliases,
        "name_forms": forms,
        "load_seconds": round(time.monotonic() - started, 1),
    }


SEARCHED_TABLES = ("parties_party", "parties_nameform")


def seq_scan_of_parties(plan: Any) -> bool:
    """Whether an EXPLAIN (FORMAT JSON) plan reads parties or their name forms by a
    sequential scan."""
    if isinstance(plan, list):
        return any(seq_scan_of_parties(p) for p in plan)
    if not isinstance(plan, dict):
        return False
    node = plan.get("Plan", plan)
    if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") in SEARCHED_TABLES:
        return True
    return any(seq_scan_of_parties(child) for child in node.get("Plans", []))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure() -> dict[str, Any]:
    """Inside a checkout's process: time its party_search for a viewer, first page only."""
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.db import connection

    from parties.selectors import party_search

    viewer, _ = User.objects.get_or_create(username="bench-viewer")
    viewer.groups.add(Group.objects.get(name="viewer"))
    viewer = User.objects.get(pk=viewer.pk)
    qs = queries()
    for q in qs[:20]:  # warm-up: caches, the plan cache, the connection
        list(party_search(viewer, q)[:50])
    timings, hits = [], []
    for q in qs:
        started = time.perf_counter()
        page = list(party_search(viewer, q)[:50])
        timings.append((time.perf_counter() - started) * 1000)
        hits.append(len(page))
    seq_scans = 0  # plans of the measured queries that read a table whole
    with connection.cursor() as cursor:
        for q in qs:
            sql, params = party_search(viewer, q)[:50].query.sql_with_params()
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            seq_scans += seq_scan_of_parties(cursor.fetchone()[0])
    # A viewer never finds a protected party by its real names: those queries are counted
    # apart. Others may tie with namesakes ("Family, First" aliases are alike, word order
    # is ignored): the stored party is then among the equal best.
    found_first = tied = protected = 0
    for i, q in enumerate(qs):
        if i % 10 == 9:
            continue
        expected = party_row((i * max(PARTIES // QUERIES, 1) * 7919) % PARTIES)
        if expected["protected"]:
            protected += 1
            continue
        ranked = [  # (pk, its rank and closeness, where the checkout ranks)
            (p.pk, getattr(p, "search_rank", None), getattr(p, "search_closeness", None))
            for p in party_search(viewer, q)[:50]
        ]
        if ranked and ranked[0][0] == expected["id"]:
            found_first += 1
        elif ranked and (expected["id"], *ranked[0][1:]) in ranked:
            tied += 1
    findable = len(qs) - len(qs) // 10 - protected
    unrelated = sum(1 for i, n in enumerate(hits) if i % 10 == 9 and n)
    return {
        "queries": len(qs),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 95), 2),
        "p99_ms": round(percentile(timings, 99), 2),
        "max_ms": round(max(timings), 2),
        "mean_hits": round(statistics.mean(hits), 1),
        "plans_with_seq_scan": f"{seq_scans}/{len(qs)}",
        "stored_party_found_first": f"{found_first}/{findable}",
        "stored_party_tied_first": f"{tied}/{findable}",
        "protected_queries_not_found": protected,
        "unrelated_queries_with_hits": f"{unrelated}/{len(qs) // 10}",
    }


def bench(label: str, app_root: Path) -> dict[str, Any]:
    print(f"search bench [{label}]: {app_root}", flush=True)
    recreate_database()
    run_in(app_root, "manage.py", "migrate", "--no-input", "-v", "0")
    script = str(ROOT / "bench" / "search.py")
    loaded = json.loads(
        run_in(app_root, script, "--load", capture_output=True, text=True).stdout.splitlines()[-1]
    )
    measured = json.loads(
        run_in(app_root, script, "--measure", capture_output=True, text=True).stdout.splitlines()[
            -1
        ]
    )
    result = {"label": label, "app_root": str(app_root), **loaded, **measured}
    print(
        f"  {loaded['parties']} parties, {loaded['aliases']} aliases: "
        f"p50 {measured['p50_ms']} ms, p95 {measured['p95_ms']} ms, p99 {measured['p99_ms']} ms; "
        f"plans with a sequential scan: {measured['plans_with_seq_scan']}; "
        f"found first: {measured['stored_party_found_first']} "
        f"(tied first with namesakes: {measured['stored_party_tied_first']}; "
        f"protected, not findable by a viewer: {measured['protected_queries_not_found']}); "
        f"unrelated with hits: {measured['unrelated_queries_with_hits']}",
        flush=True,
    )
    return result


def main() -> None:
    runs = {}
    before = os.environ.get("BENCH_BEFORE_ROOT")
    if before:
        runs["before"] = bench("before", Path(before).resolve())
    runs["current"] = bench("current", Path(os.environ.get("BENCH_APP_ROOT", ROOT)).resolve())
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    previous = results.get("search", {})
    results["search"] = {**previous, **runs}
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"search: merged into {RESULTS.relative_to(ROOT)} under 'search'")


if __name__ == "__main__":
    if sys.argv[1:] == ["--load"]:
        print(json.dumps(load()))
    elif sys.argv[1:] == ["--measure"]:
        print(json.dumps(measure()))
    else:
        main()
