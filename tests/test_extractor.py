"""The Extractor end to end: the shared corpus, offsets, model loading and saving."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

import toolkit
from toolkit.errors import ModelError
from toolkit.extract.tokenizer import blank_english
from toolkit.types import Document

MUST_ENTITIES = {
    ("Antony Blinken", "PERSON"),
    ("Joe Biden", "PERSON"),
    ("Nguyen Phu Trong", "PERSON"),
    ("Andreyka Natalegawa", "PERSON"),
    ("Pham Thu Hang", "PERSON"),
    ("Vietnam", "GPE"),
    ("Japan", "GPE"),
    ("Hanoi", "GPE"),
    ("State Department", "ORG"),
    ("Reuters", "ORG"),
    ("Politico", "ORG"),
}
MUST_SPEAKERS = {"State Department", "Natalegawa", "Politico", "Reuters", "Hang"}


@pytest.fixture(scope="module")
def shared_extractions(shared_corpus, extractor):
    return list(extractor.pipe(toolkit.load(shared_corpus)))


def test_shared_corpus_has_the_required_entities(shared_extractions):
    found = {(e.text(x.doc.text), e.label) for x in shared_extractions for e in x.entities}
    assert MUST_ENTITIES <= found, sorted(MUST_ENTITIES - found)


def test_shared_corpus_claims_are_attributed_with_cues(shared_extractions):
    speakers = {}
    for x in shared_extractions:
        for claim in x.claims:
            if claim.speaker is not None:
                speaker = claim.speaker.text(x.doc.text)
                for name in MUST_SPEAKERS:
                    if name in speaker:
                        speakers.setdefault(name, []).append(claim)
    assert set(speakers) == MUST_SPEAKERS
    for name, claims in speakers.items():
        assert all(c.cue is not None for c in claims), name


def test_every_span_matches_its_text(shared_extractions):
    for x in shared_extractions:
        text = x.doc.text
        record = x.to_dict()
        for entity in record["entities"]:
            assert text[entity["start"] : entity["end"]] == entity["text"]
        for claim in record["claims"]:
            assert text[claim["start"] : claim["end"]] == claim["text"]
            for part in ("speaker", "cue"):
                if claim[part]:
                    assert text[claim[part]["start"] : claim[part]["end"]] == claim[part]["text"]


def test_offsets_survive_emoji_and_combining_characters(extractor):
    text = (
        "🙂🙂 The ministry of Cafe\u0301 affairs met. President Joe Biden said that the talks "
        "with Vietnam were \u201cvery productive 👍\u201d on Monday."
    )
    x = extractor.extract(Document(id="u", text=text))
    by_text = {e.text(text): e.label for e in x.entities}
    assert by_text.get("Joe Biden") == "PERSON"
    assert by_text.get("Vietnam") == "GPE"
    for e in x.entities:
        assert text[e.start : e.end] == e.text(text)
    assert x.claims, "the 'said that' claim was not found"
    assert all(0 <= c.start < c.end <= len(text) for c in x.claims)


def test_extract_accepts_plain_strings_and_keeps_order(extractor):
    texts = [f"Officials in Hanoi met on Monday, number {i}." for i in range(150)]
    out = list(extractor.pipe(texts, batch_size=16))
    assert [x.doc.text for x in out] == texts


def test_rule_components_run_over_a_whole_batch_with_the_results_of_one_doc_at_a_time(shared_corpus):
    # each rule component's pipe() takes a whole batch from the one before and works through it
    # before yielding (BatchPipe: the speed-up of stage-by-stage batches); results must be those
    # of doc-by-doc calls
    texts = [d.text for d in toolkit.load_sample()][:20] + [d.text for d in toolkit.load(shared_corpus)]
    nlp = toolkit.Extractor(model=None).nlp
    one_by_one = []
    for text in texts:
        doc = nlp.make_doc(text)
        for _, component in nlp.pipeline:
            doc = component(doc)
        one_by_one.append(doc)
    batched = list(nlp.pipe(texts, batch_size=8))
    assert [d.text for d in batched] == texts
    for a, b in zip(one_by_one, batched):
        assert [(e.start_char, e.end_char, e.label_, e.kb_id_, e.id_) for e in a.ents] == [
            (e.start_char, e.end_char, e.label_, e.kb_id_, e.id_) for e in b.ents
        ]
        assert a._.claims == b._.claims and a._.claims is not None
        assert [s.start for s in a.sents] == [s.start for s in b.sents]

    sentenced = [nlp.get_pipe("sentencizer")(nlp.make_doc(text)) for text in texts]
    for name, docs in (("toolkit_entity_rules", sentenced), ("toolkit_claim_rules", one_by_one)):
        pulled: list[int] = []

        def stream():
            for doc in docs:
                pulled.append(1)
                yield doc

        arrivals = [len(pulled) for _ in nlp.get_pipe(name).pipe(stream(), batch_size=8)]
        assert arrivals[:9] == [8] * 8 + [16], (name, arrivals)
        assert len(arrivals) == len(texts)


@pytest.mark.parametrize("component", ["entities", "claims"])
def test_a_doc_that_fails_a_rule_component_goes_to_spacys_error_handler(monkeypatch, component):
    from toolkit.extract.claims import ClaimRules
    from toolkit.extract.entities import EntityRules

    cls = {"entities": EntityRules, "claims": ClaimRules}[component]
    original = cls.__call__

    def fails_on_boom(self, doc):
        if "BOOM" in doc.text:
            raise ValueError("boom")
        return original(self, doc)

    monkeypatch.setattr(cls, "__call__", fails_on_boom)
    extractor = toolkit.Extractor()
    texts = ["Officials said the port would reopen.", "BOOM said the port.", "Ana Lopez told Reuters prices rose sharply."]
    with pytest.raises(ValueError, match="boom"):  # spaCy's default handler raises
        list(extractor.pipe(texts))
    failed = []
    extractor.set_error_handler(lambda name, proc, docs, err: failed.append((name, [d.text for d in docs], str(err))))
    out = list(extractor.pipe(texts))
    assert failed == [(f"toolkit_{'entity' if component == 'entities' else 'claim'}_rules", [texts[1]], "boom")]
    # the skipped doc has no record, and the others keep their own results
    assert [x.doc.text for x in out] == [texts[0], texts[2]]
    assert [x.doc.text[c.start : c.end] for x in out for c in x.claims] == ["the port would reopen", "prices rose sharply"]


def test_a_pipeline_that_has_run_still_pickles(extractor):
    import pickle

    text = "Wenda Kosko, a spokeswoman for the ministry, said the port would reopen in May."
    before = extractor.extract(text)
    nlp = pickle.loads(pickle.dumps(extractor.nlp))
    doc = nlp(text)
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [(e.start, e.end, e.label) for e in before.entities]
    assert doc._.claims == list(before.claims)


def test_unknown_model_name_says_what_to_do():
    with pytest.raises(ModelError) as err:
        toolkit.Extractor(model="en_core_web_nonexistent")
    assert "E303" in str(err.value) and "pip install" in str(err.value)


def test_directory_without_config_is_refused(tmp_path):
    with pytest.raises(ModelError, match="no config.cfg"):
        toolkit.Extractor(model=tmp_path)


def _train_tiny_ner(path: Path) -> None:
    """A real (tiny) NER trained here and saved: the stand-in for an installed pipeline."""
    from spacy.training import Example

    nlp = blank_english()
    ner = nlp.add_pipe("ner")
    data = [
        ("Zorblat Quenty visited Hanoi on Monday.", [(0, 14, "PERSON")]),
        ("Officials met Zorblat Quenty in Tokyo.", [(14, 28, "PERSON")]),
        ("Zorblat Quenty said the talks went well.", [(0, 14, "PERSON")]),
        ("The minister greeted Zorblat Quenty warmly.", [(21, 35, "PERSON")]),
    ]
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": ents}) for t, ents in data]
    ner.add_label("PERSON")
    spacy.util.fix_random_seed(0)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(40):
        for eg in examples:
            nlp.update([eg], sgd=optimizer, drop=0.0)
    nlp.meta["name"] = "tiny_news"
    nlp.to_disk(path)


def test_installed_pipeline_ner_runs_with_the_rules(tmp_path):
    model_dir = tmp_path / "tiny"
    _train_tiny_ner(model_dir)
    extractor = toolkit.Extractor(model=model_dir)
    assert extractor.pipe_names.index("ner") < extractor.pipe_names.index("toolkit_entity_rules")
    text = "Zorblat Quenty said on Monday that Vietnam is ready, according to Reuters."
    x = extractor.extract(text)
    origins = {(e.text(text), e.label): e.origin for e in x.entities}
    assert origins.get(("Zorblat Quenty", "PERSON")) == "model"
    assert origins.get(("Vietnam", "GPE")) == "rules"
    assert x.extractor.name == "toolkit+model" and "tiny_news" in x.extractor.version
    assert x.claims


def test_saved_pipeline_reloads_with_plain_spacy_load_in_a_fresh_process(tmp_path, extractor):
    path = tmp_path / "pipeline"
    extractor.to_disk(path)
    text = "U.S. Secretary of State Antony Blinken told reporters in Hanoi that ties were strong."
    expected = [(e.start, e.end, e.label) for e in extractor.extract(text).entities]
    code = (
        "import json, sys, spacy\n"
        f"nlp = spacy.load({str(path)!r})\n"
        f"doc = nlp({text!r})\n"
        "print(json.dumps([[e.start_char, e.end_char, e.label_] for e in doc.ents]))\n"
        "print(len(doc._.claims))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert [tuple(e) for e in json.loads(lines[0])] == expected
    assert int(lines[1]) >= 1


def test_rule_switches_also_turn_off_rules_saved_in_a_pipeline(tmp_path, rules_extractor):
    # rules only, so that with the rules off nothing is left to find anything
    extractor = rules_extractor
    text = 'Foreign Minister Ilse Varga said on Monday that talks with Vietnam would resume.'
    assert extractor.extract(text).entities and extractor.extract(text).claims
    extractor.to_disk(tmp_path / "saved")
    off = toolkit.Extractor(model=tmp_path / "saved", entity_rules=False, claim_rules=False)
    result = off.extract(text)
    assert result.entities == () and result.claims == ()
    assert toolkit.Extractor(model=tmp_path / "saved").extract(text).entities == extractor.extract(text).entities
