"""Text normalisation for search, done in Python so both backends see the same terms.

Every indexed item and every query goes through the same functions here:

* ``tokenize`` splits text into words (letters and digits; punctuation and
  hyphens separate words, so "diagnostyczno-kreatywne" gives two words);
* ``lemmas_of`` gives a word's dictionary forms: Morfeusz 2 (SGJP dictionary)
  for Polish (a word it does not know stays as typed), simplemma for English.
  Ambiguous Polish forms keep every candidate ("spotkaniu" -> spotkanie,
  spotkać): recall matters more than precision here, ranking sorts it out;
* ``fold`` removes diacritics, including the letters Unicode does not
  decompose (ł -> l), so "palac slubow" meets "Pałac Ślubów".

Why Morfeusz 2 and not simplemma alone (measured, docs/search.md): on 73
inflected forms from the seeds, an inflected form shared a lemma with its base
form 72 times with Morfeusz 2 and 66 times with simplemma (which maps
"warsztat" and "warsztatów" to different lemmas). With the per-word cache
below both run at ~200k words/s, but simplemma loads its Polish data on first
use, 19 s here, which a web worker cannot afford on its first query. If
morfeusz2 cannot be imported (an unsupported platform) simplemma is used for
Polish too and ``LEMMATISER``
says so; reindex after switching, since the index and the queries must agree.

The index side produces three strings per item (``Analysed``): the original
``text``, the space-joined ``lemmas`` (with and without diacritics) and the
space-joined ``folded`` words in text order. The query side (``analyse_query``) produces
the same forms per query word, and restores diacritics of words typed without
them when that yields a dictionary word ("warsztatow" -> "warsztatów" ->
warsztat), so inflection and missing diacritics work together.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import simplemma

logger = logging.getLogger(__name__)

WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)

# Letters NFKD does not decompose into base + combining mark.
_SPECIAL_FOLDS = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
    }
)

# Function words dropped from queries (never from the index, phrases need them).
POLISH_STOPWORDS = frozenset(
    """a aby ale albo ani bo by być ci co czy dla do gdy i ich im in is jak jako je jego jej
    już lub ma mi na nad nie niż o od oraz po pod przez przy się są ta tak te tej ten to
    tu tym u w we wraz z za ze że""".split()
)
ENGLISH_STOPWORDS = frozenset(
    """a an and are as at be by for from in into is it of on or the to with""".split()
)
STOPWORDS = {"pl": POLISH_STOPWORDS, "en": ENGLISH_STOPWORDS}

# Limits: an item's text is cut before analysis (a 300-page PDF still indexes
# its first ~1 MB of text), and queries are short by nature.
MAX_TEXT_CHARS = 1_000_000
MAX_QUERY_WORDS = 32

_local = threading.local()


def _morfeusz():
    """One Morfeusz instance per thread (the C++ object is not thread-safe)."""
    instance = getattr(_local, "morfeusz", None)
    if instance is None:
        import morfeusz2

        instance = morfeusz2.Morfeusz(generate=False, expand_tags=False)
        _local.morfeusz = instance
    return instance


def _morfeusz_available() -> bool:
    try:
        _morfeusz()
    except Exception:  # noqa: BLE001 - ImportError or a broken native library
        logger.warning("morfeusz2 unavailable; Polish lemmas come from simplemma")
        return False
    return True


LEMMATISER = "morfeusz2" if _morfeusz_available() else "simplemma"


def fold(text: str) -> str:
    """Lowercase ASCII-ish form: diacritics removed, ł -> l."""
    text = text.translate(_SPECIAL_FOLDS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def tokenize(text: str) -> list[str]:
    return WORD_RE.findall(text)


def _language(language: str | None) -> str:
    code = (language or "pl").lower()[:2]
    return code if code in ("pl", "en", "uk") else "pl"


@lru_cache(maxsize=200_000)
def _morfeusz_lemmas(word: str) -> tuple[str, ...] | None:
    """Dictionary lemmas of a Polish word, or None when Morfeusz does not know it."""
    found = []
    for _start, _end, (_form, lemma, tag, _names, _quals) in _morfeusz().analyse(word):
        if tag == "ign":
            continue
        # Homonyms carry a suffix ("zamek:s1"): the lemma is before the colon.
        base = lemma.split(":", 1)[0].lower()
        if base and base not in found and WORD_RE.fullmatch(base):
            found.append(base)
    return tuple(found) or None


@lru_cache(maxsize=200_000)
def _simplemma_lemma(word: str, language: str) -> str:
    lang = language if language in ("pl", "en", "uk") else "pl"
    try:
        return simplemma.lemmatize(word, lang=lang).lower()
    except ValueError:
        return word.lower()


def lemmas_of(word: str, language: str = "pl") -> tuple[str, ...]:
    """The lowercase dictionary forms of one word (at least the word itself)."""
    language = _language(language)
    lower = word.lower()
    if word.isdigit():
        return (lower,)
    if language == "pl" and LEMMATISER == "morfeusz2":
        found = _morfeusz_lemmas(word) or (_morfeusz_lemmas(lower) if lower != word else None)
        if found:
            return found
        if lower.endswith("o") and len(lower) > 5:
            # The first part of a compound adjective ("diagnostyczno-kreatywne",
            # "społeczno-kulturalny") is the adjective's stem + "o".
            adjective = _morfeusz_lemmas(lower[:-1] + "y") or _morfeusz_lemmas(lower[:-1] + "i")
            if adjective:
                return (lower, *adjective)
        # A word Morfeusz does not know (a surname, a typo, an abbreviation)
        # stays as it is, plus its guessed stem, so "Łuczewskiego" meets
        # "Łuczewski" (both -> "łuczewsk") on both the index and query side.
        stem = guess_stem(lower)
        return (lower, stem) if stem != lower else (lower,)
    return (_simplemma_lemma(lower, language),)


# Inflectional endings of Polish nouns and adjectives, longest first; used only
# for words outside the dictionary (mostly surnames and place names).
_ENDINGS = tuple(
    sorted(
        """iego iemu iej ego emu ych ymi ich imi ami ach owi iem ów om em ym im ej
        ą ę a e i y u o""".split(),
        key=len,
        reverse=True,
    )
)
_MIN_STEM = 4


def guess_stem(word: str) -> str:
    """The word without its inflectional ending ("kowalczykiem" -> "kowalczyk")."""
    if len(word) < _MIN_STEM + 1 or not word.isalpha():
        return word
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word


@dataclass(frozen=True)
class Analysed:
    """What an item's text becomes in the index (both backends)."""

    text: str
    lemmas: str
    folded: str


@lru_cache(maxsize=200_000)
def _index_forms(word: str, language: str) -> tuple[str, str]:
    """(lemma forms, folded word) of one word as the index stores them."""
    forms: list[str] = []
    for lemma in lemmas_of(word, language):
        for form in (lemma, fold(lemma)):
            if form not in forms:
                forms.append(form)
    return " ".join(forms), fold(word)


def analyse(text: str, language: str = "pl") -> Analysed:
    """Original text, its lemmas and its folded words, for indexing.

    ``lemmas`` holds every lemma of every word with and without diacritics
    (so "slub" typed without them still meets the lemma "ślub"); ``folded``
    holds the folded words in their original order, so phrase queries work
    on it.
    """
    text = (text or "")[:MAX_TEXT_CHARS]
    language = _language(language)
    lemma_out: list[str] = []
    folded_out: list[str] = []
    for word in tokenize(text):
        lemmas, folded = _index_forms(word, language)
        lemma_out.append(lemmas)
        folded_out.append(folded)
    return Analysed(text=text, lemmas=" ".join(lemma_out), folded=" ".join(folded_out))


# --- Queries -------------------------------------------------------------------

# Diacritics a Polish writer may leave out, by the letter typed instead.
_RESTORE = {
    "a": "ą",
    "c": "ć",
    "e": "ę",
    "l": "ł",
    "n": "ń",
    "o": "ó",
    "s": "ś",
    "z": "żź",
}
_MAX_RESTORE_POSITIONS = 10
_MAX_RESTORE_CHANGES = 3


@lru_cache(maxsize=20_000)
def restore_diacritics(word: str) -> tuple[str, ...]:
    """Dictionary words that ``word`` (typed without diacritics) could be.

    Tries up to two changed letters (three for an unknown word when that finds
    nothing) and keeps the words Morfeusz knows: "slubow" -> ("ślubow", "ślubów").
    """
    if LEMMATISER != "morfeusz2" or not word.isascii() or not word.isalpha():
        return ()
    lower = word.lower()
    positions = [i for i, ch in enumerate(lower) if ch in _RESTORE]
    if not positions or len(positions) > _MAX_RESTORE_POSITIONS:
        return ()
    found: list[str] = []
    known = _morfeusz_lemmas(lower) is not None
    for changes in range(1, min(_MAX_RESTORE_CHANGES, len(positions)) + 1):
        # One or two changes are always tried ("slubow" is one change from
        # the verb form "ślubow" and two from "ślubów"); three only for words
        # that are not Polish as typed.
        if changes > 2 and (found or known):
            break
        for chosen in itertools.combinations(positions, changes):
            for letters in itertools.product(*(_RESTORE[lower[i]] for i in chosen)):
                chars = list(lower)
                for i, letter in zip(chosen, letters, strict=True):
                    chars[i] = letter
                candidate = "".join(chars)
                if _morfeusz_lemmas(candidate):
                    found.append(candidate)
    return tuple(found)


@dataclass
class QueryWord:
    """One word of a query with every form it may match."""

    raw: str
    folded: str
    lemmas: tuple[str, ...]
    is_stopword: bool = False
    restored: tuple[str, ...] = ()

    @property
    def lemma_forms(self) -> list[str]:
        """Lemmas, including those of the word with its diacritics restored."""
        out = list(self.lemmas)
        for word in self.restored:
            for lemma in lemmas_of(word, "pl"):
                if lemma not in out:
                    out.append(lemma)
        return out

    @property
    def folded_forms(self) -> list[str]:
        """The word as typed and its restored spellings, folded."""
        out = [self.folded]
        for word in self.restored:
            folded = fold(word)
            if folded not in out:
                out.append(folded)
        return out

    @property
    def lemma_terms(self) -> list[str]:
        """Terms to look up in ``lemmas``: every lemma, with and without diacritics."""
        out: list[str] = []
        for lemma in self.lemma_forms:
            for form in (lemma, fold(lemma)):
                if form not in out:
                    out.append(form)
        return out


@dataclass
class AnalysedQuery:
    text: str
    language: str
    words: list[QueryWord] = field(default_factory=list)

    @property
    def content_words(self) -> list[QueryWord]:
        """Words that must match: stopwords only count when nothing else is left."""
        content = [w for w in self.words if not w.is_stopword]
        return content or list(self.words)

    @property
    def folded_text(self) -> str:
        return " ".join(w.folded for w in self.words)

    @property
    def lemma_text(self) -> str:
        return " ".join(w.lemma_forms[0] for w in self.words)

    def all_lemmas(self) -> set[str]:
        return {lemma for w in self.words for lemma in w.lemma_forms}

    def all_folded(self) -> set[str]:
        return {form for w in self.words for form in w.folded_forms}

    def __bool__(self) -> bool:
        return bool(self.words)


def analyse_query(text: str, language: str | None = None) -> AnalysedQuery:
    """Split a query into words with their lemmas and folded forms.

    The query's language is unknown in general: Polish analysis is used, and
    English lemmas are added when the interface language is English.
    """
    language = _language(language)
    stopwords = POLISH_STOPWORDS | (ENGLISH_STOPWORDS if language == "en" else frozenset())
    words = []
    for raw in tokenize(text or "")[:MAX_QUERY_WORDS]:
        lemmas = list(lemmas_of(raw, "pl"))
        if language == "en":
            for lemma in lemmas_of(raw, "en"):
                if lemma not in lemmas:
                    lemmas.append(lemma)
        lower = raw.lower()
        restored: tuple[str, ...] = ()
        if lower.isascii() and not lower.isdigit():
            # Even a known ASCII word may be a diacritics-less spelling of
            # another ("palacu" is unknown, but "slubow" could be a name).
            restored = restore_diacritics(lower)
        words.append(
            QueryWord(
                raw=lower,
                folded=fold(raw),
                lemmas=tuple(lemmas),
                is_stopword=lower in stopwords,
                restored=restored,
            )
        )
    return AnalysedQuery(text=(text or "").strip(), language=language, words=words)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or limit + 1 as soon as it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def match_prefix(form: str) -> str | None:
    """The stem a snippet marks words by ("konsultacji" -> "konsulta"), or None.

    Short forms and numbers are matched whole. Used both for marking snippets
    in Python and for choosing the fragment around misspelt words in
    Elasticsearch, so the two agree.
    """
    if len(form) < 5 or form.isdigit():
        return None
    return form[: max(4, len(form) - 3)]


def fuzzy_limit(word: str) -> int:
    """Edits allowed for a word, as Elasticsearch's fuzziness AUTO does."""
    if word.isdigit() or len(word) <= 2:
        return 0
    return 1 if len(word) <= 5 else 2
