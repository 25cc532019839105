"""``toolkit_entity_conventions``: a pretrained NER's entities, in the toolkit's conventions.

OntoNotes-trained pipelines (``en_core_web_sm`` and its kin) mark spans by OntoNotes'
guidelines and their own habits; the toolkit's documented conventions (README, "Entity
conventions") differ, and so do most researchers' gold data:

- no leading determiner: ``the State Department``, ``The State Department said`` ->
  ``State Department`` (this costs the few names that begin with one, ``The New York Times``,
  and paid on every data set measured: WikiGold span F1 0.793 -> 0.800, the shared articles
  0.834 -> 0.856, the sample 0.792 -> 0.816, against keeping a capitalised ``The``);
- no trailing possessive: ``Vietnam's`` -> ``Vietnam``;
- PERSON without titles: ``President Joe Biden``, ``Mr. Trong``, ``Secretary of State Antony
  Blinken`` -> the name alone (the titles are the ``_TITLE`` list of ``data/cues.tsv``);
- DATE only for what a calendar can place: a model's DATE with no digit, no month or weekday
  name and no anchoring word (``this``, ``last``, ``next``, ``ago``, ``today``, ...; the
  ``_DATE_MODIFIER`` list and :data:`DATE_ANCHORS`) is a bare duration or frequency (``five
  years``, ``decades``, ``summer``, ``annual``) and is dropped;
- one person, one label: a model entity whose text is the last name of a PERSON named in full in
  the same document (``Blinken`` after ``Antony Blinken``) is relabelled PERSON;
- only the labels asked for (``labels``; by default the toolkit's own: PERSON, ORG, GPE, LOC,
  NORP, DATE, EVENT). Entities of other labels are taken off the doc, so that rules may
  fill the gap.

The component runs right after the statistical NER (its rank is in
:data:`toolkit.extract.pipeline.ORDER`) and changes only the entities that came from it
(``span_id`` empty): rule and pattern entities are left alone. It only ever shrinks, drops or
relabels an entity, never widens one.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..types import ENTITY_LABELS
from .gazetteer import cue_words
from .settings import SettingsComponent
from .spans import BatchPipe

DETERMINERS = frozenset({"the", "a", "an", "The", "A", "An"})
POSSESSIVES = frozenset({"'s", "’s", "'", "’", "s'", "s’"})
ALL_LABELS = "all"
DATE_ANCHORS = frozenset({"today", "yesterday", "tomorrow", "tonight", "ago", "now", "currently", "recently", "weekend"})
ONTONOTES_LABELS = frozenset(
    "PERSON NORP FAC ORG GPE LOC PRODUCT EVENT WORK_OF_ART LAW LANGUAGE DATE TIME PERCENT MONEY QUANTITY "
    "ORDINAL CARDINAL".split()
)
"""The 18 entity labels of OntoNotes 5, which en_core_web_sm/md/lg/trf predict."""


def resolve_labels(labels: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """``labels=`` as given by a user: ``None`` or ``"default"`` -> the toolkit's labels, ``"all"`` ->
    every label (None: no filter), a comma-separated string or a sequence -> those labels."""
    if labels is None or labels == "default":
        return tuple(ENTITY_LABELS)
    if labels == ALL_LABELS:
        return None
    if isinstance(labels, str):
        labels = labels.split(",")
    out = tuple(dict.fromkeys(label.strip().upper() for label in labels if label.strip()))
    if not out:
        raise ValueError("labels= is empty: pass 'default', 'all', or labels such as 'PERSON,ORG,GPE'")
    return out


def _titles() -> tuple[tuple[str, ...], ...]:
    """The ``_TITLE`` cue words as lower-case word tuples, longest first."""
    titles = {tuple(t.lower().split()) for t in cue_words("_TITLE")}
    return tuple(sorted(titles, key=lambda t: (-len(t), t)))


class EntityConventions(SettingsComponent, BatchPipe):
    """Trim a statistical NER's entities to the toolkit's conventions and keep the wanted labels.

    Args:
        labels: the labels to keep (None keeps every label).
        strip_titles: take titles off the start of PERSON entities.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "toolkit_entity_conventions",
        *,
        labels: Sequence[str] | None = tuple(ENTITY_LABELS),
        strip_titles: bool = True,
    ) -> None:
        self.name = name
        self.cfg = {"labels": list(labels) if labels is not None else None, "strip_titles": strip_titles}
        self._titles = _titles()
        self._date_words = frozenset(w.lower() for w in cue_words("_MONTH") | cue_words("_WEEKDAY"))
        self._date_words |= frozenset(w.lower() for w in cue_words("_DATE_MODIFIER")) | DATE_ANCHORS

    @property
    def keep(self) -> tuple[str, ...] | None:
        """The labels kept (None: every label). Not named ``labels``: spaCy reads a component's
        ``labels`` as the labels it predicts (``nlp.meta``)."""
        labels = self.cfg["labels"]
        return tuple(labels) if labels is not None else None

    def __call__(self, doc: Doc) -> Doc:
        if not doc.ents:
            return doc
        keep = self.keep
        ents: list[Span] = []
        changed = False
        for ent in doc.ents:
            if ent.id_:  # set by a toolkit component (rules, patterns): not ours to change
                ents.append(ent)
                continue
            if (keep is not None and ent.label_ not in keep) or (ent.label_ == "DATE" and not self.is_placed(ent)):
                changed = True
                continue
            start, end = self.trimmed(doc, ent)
            if (start, end) != (ent.start, ent.end):
                changed = True
                if start >= end:
                    continue
                ent = Span(doc, start, end, label=ent.label, kb_id=ent.kb_id)
            ents.append(ent)
        if self._one_label_per_person(doc, ents):
            changed = True
        if changed:
            doc.set_ents(ents, default="outside")
        return doc

    def is_placed(self, ent: Span) -> bool:
        """Whether a DATE can be placed on a calendar: a digit, a month or weekday, an anchoring word."""
        return any(t.is_digit or any(c.isdigit() for c in t.text) or t.lower_ in self._date_words for t in ent)

    @staticmethod
    def _one_label_per_person(doc: Doc, ents: list[Span]) -> bool:
        """Relabel, in place, model entities that repeat the last name of a PERSON named in full."""
        surnames = {e[-1].text for e in ents if e.label_ == "PERSON" and len(e) > 1 and e[-1].is_title}
        changed = False
        for i, ent in enumerate(ents):
            if not ent.id_ and ent.label_ != "PERSON" and len(ent) == 1 and ent.text in surnames:
                ents[i] = Span(doc, ent.start, ent.end, label="PERSON", kb_id=ent.kb_id)
                changed = True
        return changed

    def trimmed(self, doc: Doc, ent: Span) -> tuple[int, int]:
        """The token range of ``ent`` without a leading determiner, a trailing possessive and,
        for PERSON, leading titles (possibly empty)."""
        start, end = ent.start, ent.end
        if end - start > 1 and doc[start].text in DETERMINERS:
            start += 1
        while end > start and doc[end - 1].text in POSSESSIVES:
            end -= 1
        if ent.label_ == "PERSON" and self.cfg["strip_titles"]:
            start = self._after_titles(doc, start, end)
        return start, end

    def _after_titles(self, doc: Doc, start: int, end: int) -> int:
        """Skip titles (and a determiner before one: ``the President``) at ``start``, keeping at
        least one token."""
        moved = True
        while moved and end - start > 1:
            moved = False
            if doc[start].lower_ in DETERMINERS:
                start += 1
                moved = True
                continue
            for title in self._titles:
                n = len(title)
                if n < end - start and tuple(t.lower_ for t in doc[start : start + n]) == title:
                    start += n
                    moved = True
                    break
        return start
