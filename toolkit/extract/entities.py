"""``toolkit_entity_rules``: the rule-based entity component of the default extractor.

It needs no trained model: gazetteers (countries, cities, regions, nationalities,
organisations, news agencies...) are matched with spaCy's ``PhraseMatcher`` and a few
token rules (:mod:`toolkit.extract.entity_rules`) find dates, events, places and
person names around cue words. Labels: PERSON, ORG, GPE, LOC, NORP, DATE, EVENT.

Entities are written to ``doc.ents`` with ``span_id="rules"`` (and, for gazetteer
names, the canonical name as ``kb_id``: ``US`` -> ``United States``). Entities already
in ``doc.ents`` (a statistical NER, learned patterns) are kept unless ``overwrite=True``.

The component saves all its data (``patterns.jsonl`` and ``cfg``) with the pipeline,
so ``spacy.load()`` of a saved pipeline never rebuilds it from the package data::

    nlp = blank_english(); nlp.add_pipe("toolkit_entity_rules")
    nlp.to_disk("pipeline"); nlp2 = spacy.load("pipeline")   # identical results
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from ..errors import ModelError
from ..types import ENTITY_LABELS
from . import entity_rules as rules
from .gazetteer import SET_CUES, default_patterns
from .settings import CFG, Part, Serialized
from .spans import FILL_KEY, BatchPipe, add_entities

ORIGIN = "rules"
WITH_NER = {"person_rules": False, "event_rules": False}
"""The entity rules' settings beside a statistical NER, chosen by measurement against the model
with the conventions alone (span F1, WikiGold / shared articles / sample): the gazetteers,
dates, places and surname mentions of named persons pay (all rules: 0.800 -> 0.810 / 0.856 ->
0.868 / 0.816 -> 0.823; surname mentions alone are most of it on WikiGold); the person rules
(titles, roles, speech verbs) cost a little on the sample (0.825 without them, 0.823 with) and
gain nothing elsewhere; the event rules change nothing measured."""
PATTERNS = "patterns"  # saved as patterns.jsonl, beside the cfg
Row = dict[str, Any]


class _Compiled:
    """The matchers and word sets built from the rows (rebuilt when the rows change)."""

    def __init__(self, nlp: Language, rows: list[Row]) -> None:
        self.orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.tokens = Matcher(nlp.vocab)
        self.keys: dict[int, tuple[str, str]] = {}
        sets: dict[str, set[str]] = defaultdict(set)
        phrases: dict[tuple[str, str], list[str]] = defaultdict(list)
        for row in rows:
            label, pattern, attr = row["label"], row["pattern"], row.get("attr", "ORTH")
            if label in SET_CUES:
                sets[label].add(pattern)
            elif isinstance(pattern, list):
                key = f"{label}\t{row.get('id', '')}"
                self.keys[nlp.vocab.strings.add(key)] = (label, row.get("id", ""))
                self.tokens.add(key, [pattern], greedy="LONGEST")
            else:
                phrases[(attr, f"{label}\t{row.get('id', '')}" if not label.startswith("_") else label)].append(pattern)
        for (attr, key), texts in phrases.items():
            label, _, kb_id = key.partition("\t")
            self.keys[nlp.vocab.strings.add(key)] = (label, kb_id)
            matcher = self.lower if attr == "LOWER" else self.orth
            matcher.add(key, list(nlp.tokenizer.pipe(texts)))
        self.cues = rules.Cues(
            not_name=frozenset(sets["_NOT_NAME"]),
            date_context=frozenset(w.lower() for w in sets["_DATE_CONTEXT"]),
            date_modifier=frozenset(w.lower() for w in sets["_DATE_MODIFIER"]),
            speech_adverb=frozenset(w.lower() for w in sets["_SPEECH_ADVERB"]),
        )
        self.tests = rules.TokenTests.build(self.cues, nlp.vocab)


class EntityRules(BatchPipe, Serialized):
    """Gazetteer and token rules that add PERSON, ORG, GPE, LOC, NORP, DATE and EVENT entities.

    Args:
        nlp: the pipeline (its tokenizer splits the patterns).
        name: the component name.
        overwrite: replace overlapping entities of earlier components.
        propagate_names: tag surname-only mentions of persons named in full.
        patterns: rows to use instead of the package's default gazetteers and cue lists
            (see :mod:`toolkit.extract.gazetteer` for the row shape).
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "toolkit_entity_rules",
        *,
        overwrite: bool = False,
        propagate_names: bool = True,
        person_rules: bool = True,
        event_rules: bool = True,
        relabel: bool = True,
        patterns: Iterable[Row] | None = None,
    ) -> None:
        self.nlp = nlp
        self.name = name
        self.overwrite = overwrite
        self.propagate_names = propagate_names
        self.person_rules = person_rules
        self.event_rules = event_rules
        self.relabel = relabel
        # None = the package defaults, built on first use (spacy.load replaces them from disk first)
        self._rows: list[Row] | None = None if patterns is None else _checked(patterns)
        self._compiled: _Compiled | None = None

    @property
    def patterns(self) -> list[Row]:
        """All rows: entity phrases and token patterns, and the cue words of the token rules."""
        if self._rows is None:
            self._rows = default_patterns()
        return [dict(row) for row in self._rows]

    @property
    def labels(self) -> tuple[str, ...]:
        """The entity labels it can add (the toolkit's labels, and any other label of added rows)."""
        extra = {row["label"] for row in self._rows or () if row["label"][0] != "_"} - set(ENTITY_LABELS)
        return tuple(ENTITY_LABELS) + tuple(sorted(extra))

    def add_patterns(self, patterns: Iterable[Row]) -> None:
        """Add rows ``{"label", "pattern", "id"?, "attr"?}``; ``pattern`` is a phrase or a Matcher token pattern."""
        rows = self.patterns + _checked(patterns)
        self._rows, self._compiled = rows, None

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        compiled = self._compiled or self._compile()
        cues = compiled.cues
        hits: rules.Hits = defaultdict(list)
        found: list[rules.Candidate] = []
        for matcher in (compiled.orth, compiled.lower):
            for key, start, end in matcher(doc):
                label, kb_id = compiled.keys[key]
                if label[0] == "_":
                    hits[label].append((start, end))
                else:
                    found.append((start, end, label, kb_id))
        relabelled = self._relabelled(doc, found) if self.relabel else []
        if len(compiled.tokens):
            found.extend((start, end, *compiled.keys[key]) for key, start, end in compiled.tokens(doc))
        found.extend(rules.dates(doc, hits, cues))
        if self.event_rules:
            found.extend(rules.events(doc, hits, cues))

        index = rules.DocIndex(doc, compiled.tests)
        blocked = bytearray(len(doc))
        if not self.overwrite:
            for ent in doc.ents:
                blocked[ent.start : ent.end] = b"\x01" * len(ent)
        chosen = _resolve(found, blocked)
        chosen += _resolve(rules.places(hits, blocked, index), blocked)
        if self.person_rules:
            chosen += _resolve(rules.persons(doc, hits, blocked, index, cues), blocked)
        if self.propagate_names:
            named = [(s, e) for s, e, label, _ in chosen if label == "PERSON"]
            named += [(ent.start, ent.end) for ent in doc.ents if ent.label_ == "PERSON"]
            chosen += _resolve(rules.surname_mentions(doc, named, blocked, index), blocked)
        add = doc.vocab.strings.add
        origin = add(ORIGIN)
        spans = [Span(doc, s, e, label=add(label), kb_id=add(kb_id), span_id=origin) for s, e, label, kb_id in chosen]
        spans += relabelled
        for s, e, label, _ in doc.user_data.pop(FILL_KEY, None) or ():  # a model's less sure entities, in the gaps
            if s < e <= len(doc) and not any(blocked[s:e]):
                blocked[s:e] = b"\x01" * (e - s)
                spans.append(Span(doc, s, e, label=add(label)))
        if self.overwrite:
            add_entities(doc, spans, overwrite=True)
        else:
            # the spans were chosen around the existing entities (``blocked``), so this is
            # add_entities(overwrite=False) without re-checking every token of the doc
            doc.set_ents(spans, default="unmodified")
        return doc

    @staticmethod
    def _relabelled(doc: Doc, found: list[rules.Candidate]) -> list[Span]:
        """Earlier components' entities that are exactly a gazetteer name of another label, with the
        gazetteer's label (``Politico`` tagged PERSON by a NER -> ORG): a curated name is surer
        than a statistical guess at its type. Nothing is widened, shrunk or removed."""
        known = {(s, e): (label, kb_id) for s, e, label, kb_id in found}
        out = []
        for ent in doc.ents:
            hit = known.get((ent.start, ent.end))
            if hit is not None and not ent.id_ and hit[0] != ent.label_:
                out.append(Span(doc, ent.start, ent.end, label=hit[0], kb_id=hit[1], span_id=ORIGIN))
        return out

    def _compile(self) -> _Compiled:
        self._compiled = _Compiled(self.nlp, self.patterns)
        return self._compiled

    # --- serialization (toolkit.extract.settings: a cfg plus patterns.jsonl) ---------------

    def _parts(self) -> dict[str, Part]:
        return {
            CFG: Part(self._cfg, self._set_cfg),
            PATTERNS: Part(lambda: self.patterns, self._set_patterns),
        }

    def _set_cfg(self, cfg: dict[str, Any], _file: Path | None) -> None:
        self.overwrite = bool(cfg.get("overwrite", self.overwrite))
        self.propagate_names = bool(cfg.get("propagate_names", self.propagate_names))
        self.person_rules = bool(cfg.get("person_rules", self.person_rules))
        self.event_rules = bool(cfg.get("event_rules", self.event_rules))
        self.relabel = bool(cfg.get("relabel", self.relabel))

    def _cfg(self) -> dict[str, Any]:
        return {
            "overwrite": self.overwrite,
            "propagate_names": self.propagate_names,
            "person_rules": self.person_rules,
            "event_rules": self.event_rules,
            "relabel": self.relabel,
        }

    def _set_patterns(self, rows: Iterable[Row], file: Path | None) -> None:
        self._rows, self._compiled = _checked(rows, file=file), None


def _checked(rows: Iterable[Row], *, file: Path | None = None) -> list[Row]:
    """Copies of ``rows``, each checked to have a string label and a phrase or token pattern."""
    out: list[Row] = []
    for line, row in enumerate(rows, 1):
        ok = (
            isinstance(row, dict)
            and isinstance(row.get("label"), str)
            and bool(row["label"])
            and (isinstance(row.get("pattern"), str) or isinstance(row.get("pattern"), list))
            and row.get("attr", "ORTH") in ("ORTH", "LOWER")
        )
        if not ok:
            raise ModelError(
                f"entity rule pattern {row!r} is malformed: each row needs a non-empty 'label', a 'pattern' "
                "(a phrase string or a list of Matcher token dicts) and optionally 'id' and 'attr' "
                "('ORTH' or 'LOWER'). Fix or remove the row.",
                code="E330",
                file=file,
                line=line if file is not None else None,
            )
        out.append(dict(row))
    return out


def _resolve(candidates: Iterable[rules.Candidate], blocked: bytearray) -> list[rules.Candidate]:
    """The candidates that do not overlap ``blocked`` or each other (longer, then earlier, win);
    marks the chosen tokens in ``blocked``."""
    chosen = []
    for cand in sorted(set(candidates), key=lambda c: (c[0] - c[1], c[0], c[2])):
        start, end = cand[0], cand[1]
        if start < end and not any(blocked[start:end]):
            blocked[start:end] = b"\x01" * (end - start)
            chosen.append(cand)
    return chosen

