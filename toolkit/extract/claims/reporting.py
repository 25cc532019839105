"""The reporting-verb lexicon of the claims syntax layer, read from ``extract/data/reporting_verbs.tsv``.

Each verb has a class (communication, assertion, concession, question, directive, commissive,
judgement, writing, evidence, cognition) and a frame: what besides a quote may be its content
(``clause``: a clausal complement; ``to``: also an infinitive; ``object``: also its object and
the object's complements). Verbs match by lemma, so every inflection counts.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, NamedTuple

from ..gazetteer import DATA, _read_tsv

VERBS_FILE = DATA / "reporting_verbs.tsv"
CLASSES = (
    "communication", "assertion", "concession", "question", "directive", "commissive", "judgement", "writing",
    "evidence", "cognition",
)  # fmt: skip
FRAMES = ("clause", "to", "object")
#: the class of cues learned from corrections (toolkit_claim_syntax's ``cues`` setting)
LEARNED = "learned"
#: the classes the syntax layer reads unless told otherwise (beliefs are not statements)
DEFAULT_CLASSES = tuple(c for c in CLASSES if c != "cognition")


class Verb(NamedTuple):
    lemma: str
    cls: str
    frame: str


@lru_cache(maxsize=1)
def all_verbs() -> dict[str, Verb]:
    """Every verb of the file by lemma; a malformed line fails with its line number."""
    verbs: dict[str, Verb] = {}
    for number, (lemma, fields) in enumerate(_read_tsv(VERBS_FILE), start=1):
        if len(fields) != 2 or fields[0] not in CLASSES or fields[1] not in FRAMES:
            raise ValueError(
                f"{VERBS_FILE}: entry {number} ({lemma!r}) needs 'lemma<TAB>class<TAB>frame' with a class of "
                f"{', '.join(CLASSES)} and a frame of {', '.join(FRAMES)}; got {fields!r}."
            )
        verbs[lemma.lower()] = Verb(lemma.lower(), fields[0], fields[1])
    return verbs


def verbs(classes: Iterable[str] = DEFAULT_CLASSES) -> dict[str, Verb]:
    """The verbs of ``classes`` by lemma."""
    wanted = set(classes)
    unknown = wanted - set(CLASSES)
    if unknown:
        raise ValueError(f"unknown reporting-verb class(es) {sorted(unknown)}; choose from {', '.join(CLASSES)}.")
    return {lemma: verb for lemma, verb in all_verbs().items() if verb.cls in wanted}
