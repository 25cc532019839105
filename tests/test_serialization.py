"""Every serializer has a save-then-load test: the toolkit's components (disk and bytes, with
and without ``exclude=``), a whole pipeline through ``spacy.load`` in a fresh process, the
on-disk layout older saves used, and the Correction record's dict."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import srsly
from spacy.language import Language
from spacy.training import Example

import toolkit.extract.entities  # noqa: F401  (registers the factories before spacy.load)
import toolkit.learn.patterns  # noqa: F401
from toolkit.extract.entities import EntityRules
from toolkit.extract.tokenizer import blank_english
from toolkit.learn.claim_tagger import ClaimTagger
from toolkit.learn.ner_gate import NerGate
from toolkit.learn.patterns import LearnedPatterns, Suppress
from toolkit.types import Correction

GOLD = Path(__file__).parent.parent / "toolkit" / "sample" / "data" / "gold.jsonl"
TEXTS = [
    "Foreign Minister Wang Yi met Zanthoria officials in Canberra on Tuesday.",
    "Acme Widgets said on Monday that Hanoi and Zanthoria would sign the deal.",
    "",
]


def ents(nlp: Language, texts: list[str] = TEXTS) -> list[list[tuple[int, int, str, str, str]]]:
    return [[(e.start_char, e.end_char, e.label_, e.kb_id_, e.id_) for e in nlp(text).ents] for text in texts]


def _rules(nlp: Language) -> EntityRules:
    rules = nlp.add_pipe("toolkit_entity_rules", config={"overwrite": True, "propagate_names": False})
    rules.add_patterns([{"label": "ORG", "pattern": "Acme Widgets", "id": "Acme"}])
    return rules


def _patterns(nlp: Language) -> LearnedPatterns:
    patterns = nlp.add_pipe("toolkit_learned_patterns", config={"overwrite": False})
    patterns.add_patterns([{"label": "GPE", "pattern": "Zanthoria"}])
    return patterns


def _suppress(nlp: Language) -> Suppress:
    nlp.add_pipe("toolkit_entity_rules")
    suppress = nlp.add_pipe("toolkit_suppress")
    suppress.add([("Hanoi", "GPE"), ("Canberra", "GPE")])
    return suppress


def _gate(nlp: Language) -> NerGate:
    return nlp.add_pipe("toolkit_ner_gate", config={"keep": 2.0, "fill": 1.5, "beam_width": 4})


def _state(component) -> object:
    if isinstance(component, EntityRules):
        return (component.overwrite, component.propagate_names, component.patterns)
    if isinstance(component, LearnedPatterns):
        return (component.overwrite, component.patterns)
    if isinstance(component, Suppress):
        return sorted(component.pairs)
    return dict(component.cfg)


BUILDERS = {"entity_rules": _rules, "learned_patterns": _patterns, "suppress": _suppress, "ner_gate": _gate}


def _pipeline(build) -> tuple[Language, object]:
    nlp = blank_english()
    return nlp, build(nlp)


def _fresh(component):
    """A component of the same factory and name, in a new blank pipeline, with its defaults."""
    nlp = blank_english()
    if isinstance(component, Suppress):
        nlp.add_pipe("toolkit_entity_rules")
    return nlp, nlp.add_pipe(nlp_factory(component), name=component.name)


def nlp_factory(component) -> str:
    return {EntityRules: "toolkit_entity_rules", LearnedPatterns: "toolkit_learned_patterns", Suppress: "toolkit_suppress", NerGate: "toolkit_ner_gate"}[type(component)]


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_component_disk_round_trip_gives_identical_state_and_results(kind: str, tmp_path: Path) -> None:
    nlp, component = _pipeline(BUILDERS[kind])
    component.to_disk(tmp_path / "c")
    other_nlp, other = _fresh(component)
    assert other.from_disk(tmp_path / "c") is other
    assert _state(other) == _state(component)
    assert ents(other_nlp) == ents(nlp)


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_component_bytes_round_trip_gives_identical_state_and_results(kind: str) -> None:
    nlp, component = _pipeline(BUILDERS[kind])
    other_nlp, other = _fresh(component)
    assert other.from_bytes(component.to_bytes()) is other
    assert _state(other) == _state(component)
    assert ents(other_nlp) == ents(nlp)


def test_files_on_disk_keep_their_names(tmp_path: Path) -> None:
    nlp = blank_english()
    _rules(nlp), _patterns(nlp), _gate(nlp)
    nlp.add_pipe("toolkit_suppress").add([("Hanoi", "GPE")])
    nlp.to_disk(tmp_path)
    names = {name: sorted(p.name for p in (tmp_path / name).iterdir()) for name in nlp.pipe_names}
    assert names == {
        "toolkit_entity_rules": ["cfg", "patterns.jsonl"],
        "toolkit_learned_patterns": ["cfg", "patterns.jsonl"],
        "toolkit_suppress": ["suppress.jsonl"],
        "toolkit_ner_gate": ["cfg"],
    }


@pytest.mark.parametrize(
    ("kind", "key", "file"),
    [("entity_rules", "patterns", "patterns.jsonl"), ("learned_patterns", "patterns", "patterns.jsonl"), ("suppress", "suppress", "suppress.jsonl")],
)
def test_excluded_rows_are_neither_written_nor_read(kind: str, key: str, file: str, tmp_path: Path) -> None:
    nlp, component = _pipeline(BUILDERS[kind])
    component.to_disk(tmp_path / "c", exclude=[key])
    assert not (tmp_path / "c" / file).exists()
    component.to_disk(tmp_path / "all")
    for load in (
        lambda c: c.from_disk(tmp_path / "all", exclude=[key]),
        lambda c: c.from_bytes(component.to_bytes(), exclude=[key]),
    ):
        _, fresh = _fresh(component)
        before = _state(fresh)
        load(fresh)
        if kind == "suppress":
            assert _state(fresh) == before  # nothing but the rows to load
        else:
            assert _state(fresh)[-1] == before[-1]  # the fresh component's own patterns
            assert _state(fresh)[:-1] == _state(component)[:-1]  # but the saved cfg
    assert key not in srsly.msgpack_loads(component.to_bytes(exclude=[key]))


@pytest.mark.parametrize("kind", ["entity_rules", "learned_patterns", "ner_gate"])
def test_excluded_cfg_is_neither_written_nor_read(kind: str, tmp_path: Path) -> None:
    nlp, component = _pipeline(BUILDERS[kind])
    component.to_disk(tmp_path / "c", exclude=["cfg"])
    assert not (tmp_path / "c" / "cfg").exists()
    component.to_disk(tmp_path / "all")
    _, fresh = _fresh(component)
    before = _state(fresh)
    fresh.from_disk(tmp_path / "all", exclude=["cfg"])
    if kind == "ner_gate":
        assert _state(fresh) == before
    else:
        assert _state(fresh)[:-1] == before[:-1] and _state(fresh)[-1] == _state(component)[-1]


def test_claim_tagger_round_trips_and_honours_exclude(tmp_path: Path) -> None:
    nlp = blank_english()
    tagger = nlp.add_pipe("toolkit_claim_tagger", config={"min_tokens": 5, "merge": False})
    doc = nlp.make_doc("The minister said the talks would go on.")
    nlp.initialize(lambda: [Example(doc, doc.copy())])
    tagger.to_disk(tmp_path / "c")
    other_nlp = blank_english()
    other = other_nlp.add_pipe("toolkit_claim_tagger")
    assert isinstance(other.from_disk(tmp_path / "c"), ClaimTagger)
    assert (other.cfg["min_tokens"], other.cfg["merge"], other.labels) == (5, False, tagger.labels)
    text = "Officials said the plan was sound."
    assert [t for t in other(other_nlp.make_doc(text)).spans.get("claim_roles", [])] == [
        t for t in tagger(nlp.make_doc(text)).spans.get("claim_roles", [])
    ]
    fresh = blank_english().add_pipe("toolkit_claim_tagger")
    fresh.from_bytes(tagger.to_bytes(exclude=["vocab"]), exclude=["cfg", "vocab"])
    assert fresh.cfg["min_tokens"] == 3


def test_saves_of_the_previous_code_still_load(tmp_path: Path) -> None:
    """The layout written before serialization moved to one helper (the same file names)."""
    for name in ("rules", "learned", "suppress", "gate"):
        (tmp_path / name).mkdir()
    srsly.write_jsonl(tmp_path / "rules" / "patterns.jsonl", [{"label": "ORG", "pattern": "Acme Widgets", "id": "Acme"}])
    srsly.write_json(tmp_path / "rules" / "cfg", {"overwrite": True, "propagate_names": False})
    srsly.write_jsonl(tmp_path / "learned" / "patterns.jsonl", [{"label": "GPE", "pattern": "Zanthoria"}])
    srsly.write_json(tmp_path / "learned" / "cfg", {"overwrite": False})
    srsly.write_jsonl(tmp_path / "suppress" / "suppress.jsonl", [{"text": "Hanoi", "label": "GPE"}])
    srsly.write_json(tmp_path / "gate" / "cfg", {"ner": "ner", "keep": 0.8, "fill": 0.4, "beam_width": 8})
    nlp = blank_english()
    rules = EntityRules(nlp).from_disk(tmp_path / "rules")
    assert (rules.overwrite, rules.propagate_names, rules.patterns) == (True, False, [{"label": "ORG", "pattern": "Acme Widgets", "id": "Acme"}])
    learned = LearnedPatterns(nlp).from_disk(tmp_path / "learned")
    assert (learned.overwrite, learned.patterns) == (False, [{"label": "GPE", "pattern": "Zanthoria"}])
    assert Suppress().from_disk(tmp_path / "suppress").pairs == {("Hanoi", "GPE")}
    assert NerGate(nlp).from_disk(tmp_path / "gate").cfg == {"ner": "ner", "keep": 0.8, "fill": 0.4, "beam_width": 8}


LOAD = """
import json, sys
import spacy
nlp = spacy.load(sys.argv[1])
texts = json.loads(sys.argv[2])
print(json.dumps([nlp.pipe_names, [[[e.start_char, e.end_char, e.label_, e.kb_id_, e.id_] for e in nlp(t).ents] for t in texts]]))
"""


def test_saved_pipeline_reloads_with_spacy_load_in_a_fresh_process(tmp_path: Path) -> None:
    nlp = blank_english()
    nlp.add_pipe("toolkit_learned_patterns").add_patterns([{"label": "GPE", "pattern": "Zanthoria"}])
    _rules(nlp)
    nlp.add_pipe("toolkit_suppress").add([("Canberra", "GPE")])
    _gate(nlp)
    nlp.to_disk(tmp_path / "pipeline")
    run = subprocess.run(
        [sys.executable, "-c", LOAD, str(tmp_path / "pipeline"), json.dumps(TEXTS)],
        capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stderr
    names, loaded = json.loads(run.stdout)
    assert names == nlp.pipe_names
    assert loaded == [[list(e) for e in doc] for doc in ents(nlp)]
    assert any(("Zanthoria" in TEXTS[0][s:e]) for s, e, *_ in loaded[0])  # the learned pattern came through
    assert not any(TEXTS[0][s:e] == "Canberra" for s, e, *_ in loaded[0])  # and the suppression


def _gold() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_correction_dict_round_trip_is_exact_for_every_gold_record() -> None:
    records = _gold()
    assert records
    for data in records:
        out = Correction.from_dict(data).to_dict()
        assert out == data
        assert json.dumps(out) == json.dumps(data)  # the same keys in the same order: the store's lines do not change
