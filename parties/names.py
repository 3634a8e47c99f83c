"""Names across spellings and scripts, reduced to one comparable Latin form.

Pure Python (no Django, no database): the stored search column, the name search, the
duplicate warning and the INTERPOL watch all compare names through `search_key` and
`similarity`, so a name typed as "Bachar el-Assad", "ASSAD, Bashar" or "بشار الاسد"
lands on the same key as the stored "Bashar al-Assad".

Two forms:
- `search_key(text)`: the full normalised Latin form (vowels kept), tokens sorted.
- `skeleton(text)`: the same tokens without vowels (nor y/w), which is what an Arabic
  name written without short vowels transliterates to; it is how a Latin query finds an
  Arabic-only entry and the reverse. Only compared with other skeletons.

`similarity` mirrors pg_trgm's trigram similarity so that the figures computed here
and in PostgreSQL agree.
"""

# Arabic letters in the folding table look like Latin ones to ruff; they are meant.
# ruff: noqa: RUF001

import re
import unicodedata

from anyascii import anyascii

# Arabic orthographic folding, before transliteration: the same name is written with or
# without hamza, ta marbuta as ha, alef maqsura as ya, Persian letter forms.
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ؤ": "و",
        "ئ": "ي",
        "ء": "",
        "ة": "ه",
        "ى": "ي",
        "ی": "ي",
        "ک": "ك",
        "ـ": "",  # tatweel
    }
)
# Tashkeel (harakat, tanwin, shadda, sukun, superscript alef) and Quranic marks.
_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_ARABIC_LETTERS = re.compile("[\u0600-\u06ff]")
# Scripts that write consonants and long vowels only: Hebrew, Arabic (with its supplements),
# Syriac, Thaana.
_UNVOWELLED_LETTERS = re.compile("[\u0590-\u07bf\u0860-\u08ff]")
# The definite article written attached: الأسد -> أسد (after folding, اسد).
_ARABIC_ARTICLE = re.compile(r"(?<![\u0600-\u06ff])ال(?=[\u0600-\u06ff]{2,})")

# Words that are not part of what identifies a name.
PARTICLES = frozenset(
    {
        "al",
        "el",
        "ul",
        "ibn",
        "ebn",
        "bin",
        "ben",
        "bint",
        "bent",
        "b",
        "de",
        "da",
        "di",
        "du",
        "del",
        "della",
        "van",
        "von",
        "der",
        "den",
    }
)

# Common Latin transliteration variants, folded to one spelling. Order matters: longer
# first (tsch before sch before ch).
_VARIANTS = (
    ("tsch", "sh"),
    ("sch", "sh"),
    ("ch", "sh"),
    ("dj", "j"),
    ("dzh", "j"),
    ("zh", "j"),
    ("ph", "f"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ey", "ei"),
    ("q", "k"),
    ("ck", "k"),
)
_DOUBLE = re.compile(r"(.)\1+")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_VOWELS = re.compile(r"[aeiouyw]")


def _latin_tokens(text: str) -> list[str]:
    """Lowercase ASCII words of `text`, whatever its script, particles removed."""
    if not text:
        return []
    if _ARABIC_LETTERS.search(text):
        text = _TASHKEEL.sub("", text).translate(_ARABIC_FOLD)
        text = _ARABIC_ARTICLE.sub("", text)
    # NFKC first so ligatures and full-width forms become plain letters; anyascii then
    # strips accents and transliterates every script.
    ascii_text = anyascii(unicodedata.normalize("NFKC", text)).lower()
    # Apostrophes (hamza, ayn, O'Brien; anyascii made every kind ASCII) join words.
    ascii_text = re.sub(r"['`]", "", ascii_text)
    tokens = []
    for word in _NOT_WORD.split(ascii_text):
        if not word or word in PARTICLES:
            continue
        for old, new in _VARIANTS:
            word = word.replace(old, new)
        word = _DOUBLE.sub(r"\1", word)
        tokens.append(word)
    return tokens


def search_key(text: str) -> str:
    """The normalised Latin form of a name: comparable across case, accents,
    punctuation, word order, particles, transliteration variants and scripts.

    >>> search_key("Bachar el-Assad") == search_key("ASSAD, Bashar") == "asad bashar"
    True
    """
    return " ".join(sorted(_latin_tokens(text)))


def skeleton(text: str) -> str:
    """The name's tokens without vowels (and y, w), sorted: what unvowelled Arabic
    transliterates to, so "Bashar al-Assad" and "بشار الأسد" both give "bshr sd"."""
    tokens = {_DOUBLE.sub(r"\1", _VOWELS.sub("", t)) for t in _latin_tokens(text)}
    return " ".join(sorted(t for t in tokens if t))


def _trigrams(key: str) -> set[str]:
    # As pg_trgm: each word padded with two spaces before and one after.
    grams: set[str] = set()
    for word in key.split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity() of two already normalised keys."""
    ta, tb = _trigrams(a), _trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def unvowelled(text: str) -> bool:
    """Whether `text` is written in a script without short vowels (Arabic, Hebrew), whose
    names compare with others by their skeletons."""
    return bool(_UNVOWELLED_LETTERS.search(text))


def is_latin(text: str) -> bool:
    """Whether every letter of `text` is Latin (accented or not)."""
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "LATIN") for ch in text)


# A skeleton match counts a little less than a full one: two Latin names may share
# their consonants (Maher, Mohr) without being the same.
SKELETON_WEIGHT = 0.9


def similarity(a: str, b: str) -> float:
    """How alike two names are, 0 (nothing in common) to 1 (same search key).

    Compares the full keys; when either name is not in Latin script, also their
    skeletons (vowels are not written in Arabic), and keeps the better figure.
    """
    ka, kb = search_key(a), search_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    score = trigram_similarity(ka, kb)
    if not (is_latin(a) and is_latin(b)):
        sa, sb = skeleton(a), skeleton(b)
        if sa and sa == sb:
            return max(score, SKELETON_WEIGHT)
        score = max(score, SKELETON_WEIGHT * trigram_similarity(sa, sb))
    return round(score, 4)
