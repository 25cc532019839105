"""``toolkit_ner_gate``: a trained NER, trusted as far as it is sure.

A NER trained on a few dozen corrected documents is right about some entities and
guesses about others; its greedy output, put before the rules, cost more than it added.
This component runs the NER (kept in the pipeline, disabled, under ``ner``) with a beam
and gives each entity the probability mass of the beam parses that contain it:

- entities with probability >= ``keep`` are set on the doc (origin ``model``): they win
  over the rules, as the documented precedence says (override > learned patterns >
  model > rules);
- entities with ``fill`` <= probability < ``keep`` are candidates that only fill gaps
  the rules leave (:data:`toolkit.extract.spans.FILL_KEY`, read by the entity rules);
- the rest are dropped.

``toolkit train`` puts a NER it trained from blank English behind the gate (a NER fine-tuned from
a pretrained one runs as the base ran it) and chooses ``keep`` and ``fill`` on its dev split: the
pair with the best entity F1 of the whole pipeline (rules included). A threshold above 1 switches
that part off, which is what training chooses when the model does not help on the dev set.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from ..extract.settings import SettingsComponent
from ..extract.spans import FILL_KEY, add_entities

NER = "ner"
GATE = "toolkit_ner_gate"


class NerGate(SettingsComponent):
    def __init__(self, nlp: Language, name: str = GATE, *, ner: str = NER, keep: float = 0.9, fill: float = 0.5, beam_width: int = 8) -> None:
        self.nlp = nlp
        self.name = name
        self.cfg = {"ner": ner, "keep": keep, "fill": fill, "beam_width": beam_width}

    def probabilities(self, doc: Doc) -> dict[tuple[int, int, str], float]:
        """``(start_token, end_token, label) -> probability`` of every entity in the beam."""
        return self._batch_probabilities([doc])[0]

    def _batch_probabilities(self, docs: list[Doc]) -> list[dict[tuple[int, int, str], float]]:
        out: list[dict[tuple[int, int, str], float]] = [{} for _ in docs]
        todo = [i for i, doc in enumerate(docs) if len(doc)]
        if not todo:
            return out
        ner = self.nlp.get_pipe(self.cfg["ner"])
        beams = ner.beam_parse([docs[i] for i in todo], beam_width=int(self.cfg["beam_width"]))
        for i, beam in zip(todo, beams):
            probs: dict[tuple[int, int, str], float] = defaultdict(float)
            for prob, parse in ner.moves.get_beam_parses(beam):
                for start, end, label in parse:
                    probs[(start, end, label)] += float(prob)
            out[i] = probs
        return out

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 64) -> Iterator[Doc]:
        """Beam-parse ``batch_size`` docs at a time (one forward pass of the model per batch)."""
        keep, fill = float(self.cfg["keep"]), float(self.cfg["fill"])
        if fill > 1 and keep > 1:
            yield from docs
            return
        for batch in minibatch(docs, size=batch_size):
            for doc, probs in zip(batch, self._batch_probabilities(list(batch))):
                self._set(doc, probs, keep, fill)
                yield doc

    @staticmethod
    def _set(doc: Doc, probs: dict[tuple[int, int, str], float], keep: float, fill: float) -> None:
        ranked = sorted(probs.items(), key=lambda item: (-item[1], item[0]))
        kept = [Span(doc, s, e, label=label) for (s, e, label), p in ranked if p >= keep]
        if kept:
            add_entities(doc, kept, overwrite=False)
        candidates = [(s, e, label, p) for (s, e, label), p in ranked if fill <= p < keep]
        if candidates:
            doc.user_data[FILL_KEY] = candidates
