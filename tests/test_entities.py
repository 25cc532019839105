"""Tests of the rule-based entity component ``toolkit_entity_rules``."""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest

import spacy  # noqa: E402
from spacy.tokens import Span  # noqa: E402

import toolkit.extract.entities as entities  # noqa: E402  (registers the factory before spacy.load)
from toolkit.errors import ModelError  # noqa: E402
from toolkit.extract import gazetteer  # noqa: E402
from toolkit.extract.spans import doc_entities  # noqa: E402
from toolkit.extract.tokenizer import blank_english  # noqa: E402

HEADER = re.compile(r"\A\s*date\s+\d{4}-\d{2}-\d{2}\s+")


@pytest.fixture(scope="module")
def nlp():
    nlp = blank_english()
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("toolkit_entity_rules")
    return nlp


def ents(doc) -> set[tuple[str, str]]:
    return {(e.text, e.label_) for e in doc.ents}


# --- positive cases: our own sentences --------------------------------------------------

POSITIVE = [
    (
        "Foreign Minister Wang Yi met Australian officials in Canberra on Tuesday.",
        {("Wang Yi", "PERSON"), ("Australian", "NORP"), ("Canberra", "GPE"), ("Tuesday", "DATE")},
    ),
    (
        "Maria Santos, a senior researcher at the Lowy Institute, said the talks would resume next month.",
        {("Maria Santos", "PERSON"), ("Lowy Institute", "ORG"), ("next month", "DATE")},
    ),
    ("The talks ended on 12 June 2021 in Geneva.", {("12 June 2021", "DATE"), ("Geneva", "GPE")}),
    ("The deal was struck on Oct. 3, 2019, in Manila.", {("Oct. 3, 2019", "DATE"), ("Manila", "GPE")}),
    ("Exports rose sharply in 2022, the Commerce Department said.", {("2022", "DATE"), ("Commerce Department", "ORG")}),
    ("The figures were released on 2024-01-15 by the IMF.", {("2024-01-15", "DATE"), ("IMF", "ORG")}),
    (
        "Delegates gathered for the Munich Security Conference in February.",
        {("Munich Security Conference", "EVENT"), ("February", "DATE")},
    ),
    (
        "Veterans of World War II marched through Paris last week.",
        {("World War II", "EVENT"), ("Paris", "GPE"), ("last week", "DATE")},
    ),
    (
        "Tensions in the Taiwan Strait and the East China Sea worry NATO.",
        {("Taiwan Strait", "LOC"), ("East China Sea", "LOC"), ("NATO", "ORG")},
    ),
    (
        "Chancellor Olaf Scholz said Germany would send more aid to Ukraine.",
        {("Olaf Scholz", "PERSON"), ("Germany", "GPE"), ("Ukraine", "GPE")},
    ),
    (
        "Protests spread to Madrid, said Camille Martin, a local historian.",
        {("Madrid", "GPE"), ("Camille Martin", "PERSON")},
    ),
    # an adverb between the name and the speech verb
    ("Ilse Varga also said the ferry would run.", {("Ilse Varga", "PERSON")}),
    ("The ferry will run, Tomas Reyna reportedly told staff.", {("Tomas Reyna", "PERSON")}),
    ("The agreement was signed three years ago in Jakarta.", {("three years ago", "DATE"), ("Jakarta", "GPE")}),
    (
        "Muslim and Buddhist leaders met in Yangon in early 2019.",
        {("Muslim", "NORP"), ("Buddhist", "NORP"), ("Yangon", "GPE"), ("early 2019", "DATE")},
    ),
    (
        "Senator Elizabeth Warren criticised the plan. Warren’s office did not respond.",
        {("Elizabeth Warren", "PERSON"), ("Warren", "PERSON")},
    ),
    ("The spokesman for the ministry, Le Van Thanh, declined to comment.", {("Le Van Thanh", "PERSON")}),
    (
        "Residents of the town of Sapa welcomed visitors from South Korea.",
        {("Sapa", "GPE"), ("South Korea", "GPE")},
    ),
    ("Heavy rain hit Quang Nam province on Sunday.", {("Quang Nam", "GPE"), ("Sunday", "DATE")}),
    (
        "The U.N. Security Council will meet in mid-October.",
        {("U.N. Security Council", "ORG"), ("mid-October", "DATE")},
    ),
    ("Athletes are preparing for the Paris Olympics.", {("Paris Olympics", "EVENT")}),
    (
        "Later this year the Kremlin and the Pentagon will talk, AFP reported.",
        {("Later this year", "DATE"), ("Kremlin", "ORG"), ("Pentagon", "ORG"), ("AFP", "ORG")},
    ),
    (
        "Sales in the 1990s were weak, according to Tran Thi Mai.",
        {("the 1990s", "DATE"), ("Tran Thi Mai", "PERSON")},
    ),
    ("Growth in the USA and the UK slowed.", {("USA", "GPE"), ("UK", "GPE")}),
]


@pytest.mark.parametrize("text, expected", POSITIVE, ids=[t[:40] for t, _ in POSITIVE])
def test_finds_entities_in_own_sentences(nlp, text: str, expected: set[tuple[str, str]]) -> None:
    assert ents(nlp(text)) == expected


# --- negative cases: what must not be tagged ----------------------------------------------

NEGATIVE = [
    "Also, the Secretary will travel abroad.",
    "Both sides agreed to a Strategic Partnership.",
    "Officials said the plan may change.",
    "After the meeting, us officials left.",
    "The President said nothing new.",
    "Thousands march through the streets.",
    "A total of 2000 troops were deployed.",
    "The Prime Minister and the Secretary of State spoke.",
    "Experts say the Comprehensive Partnership is working.",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_tags_nothing_in_sentences_without_entities(nlp, text: str) -> None:
    assert ents(nlp(text)) == set()


@pytest.mark.parametrize(
    "text, absent",
    [
        ("The director of the film, which opened last year, was praised.", ("which", "PERSON")),
        ("The group may march tomorrow.", ("may", "DATE")),
        ("Officials in Hanoi said prices rose.", ("Officials", "PERSON")),
        ("US President Joe Biden spoke.", ("President Joe Biden", "PERSON")),
    ],
)
def test_does_not_tag(nlp, text: str, absent: tuple[str, str]) -> None:
    found = ents(nlp(text))
    assert absent not in found
    assert all(label != "PERSON" or "President" not in t for t, label in found)


@pytest.mark.parametrize(
    "text, person",
    [
        ("Wenda Kosko, an associate fellow at the institute, spoke.", "Wenda Kosko"),
        ("Wenda Kosko, (an associate fellow) at the institute, spoke.", None),  # a bracket breaks the apposition
        ("Wenda Kosko, the most senior and longest serving associate fellow, spoke.", None),  # comma too far back
        ("The head of the harbour authority, Wenda Kosko Talli, spoke.", "Wenda Kosko Talli"),
        ("The head of the harbour authority; Wenda Kosko Talli, spoke.", None),  # no comma, a semicolon
        ("The head of the harbour authority (Wenda Kosko Talli), spoke.", None),
    ],
)
def test_role_appositions_stop_at_breaks_and_far_commas(nlp, text: str, person: str | None) -> None:
    persons = {t for t, label in ents(nlp(text)) if label == "PERSON"}
    assert persons == ({person} if person else set())


def test_canonical_names_are_kb_ids_and_origin_is_rules(nlp) -> None:
    doc = nlp("US and U.S. and the United States are one country.")
    assert [(e.text, e.label_, e.kb_id_, e.id_) for e in doc.ents] == [
        ("US", "GPE", "United States", "rules"),
        ("U.S.", "GPE", "United States", "rules"),
        ("United States", "GPE", "United States", "rules"),
    ]
    assert {e.origin for e in doc_entities(doc)} == {"rules"}


# --- the shared corpus ---------------------------------------------------------------------

# Hand-made gold of the two shared articles: every (text, label) occurrence, in order.
GOLD = {
    "000_b72ecdecabe12312.txt": [
        ("U.S.", "GPE"), ("Antony Blinken", "PERSON"), ("Vietnam", "GPE"), ("Japan", "GPE"), ("this week", "DATE"),
        ("Blinken", "PERSON"), ("Vietnam", "GPE"), ("U.S.", "GPE"), ("this year", "DATE"),
        ("Vietnam", "GPE"), ("Blinken", "PERSON"), ("Japan", "GPE"), ("Group of Seven", "ORG"),
        ("Karuizawa", "GPE"), ("Nagano", "GPE"),
        ("This year", "DATE"), ("U.S.", "GPE"), ("Vietnam", "GPE"),
        ("Vietnamese", "NORP"), ("Indo-Pacific", "LOC"), ("State Department", "ORG"), ("Monday", "DATE"),
        ("Blinken", "PERSON"), ("Vietnamese", "NORP"), ("Hanoi", "GPE"), ("U.S.", "GPE"), ("Joe Biden", "PERSON"),
        ("Vietnam", "GPE"), ("Communist Party", "ORG"), ("Nguyen Phu Trong", "PERSON"), ("March 29", "DATE"),
        ("Biden", "PERSON"), ("Trong", "PERSON"), ("this year", "DATE"), ("Andreyka Natalegawa", "PERSON"),
        ("Southeast Asia", "LOC"), ("Washington", "GPE"), ("Center for Strategic and International Studies", "ORG"),
        ("VOA", "ORG"),
        ("Vietnam", "GPE"), ("United States", "GPE"), ("Vietnam", "GPE"), ("Hanoi", "GPE"), ("China", "GPE"),
        ("Russia", "GPE"), ("Vietnam", "GPE"),
        ("Vietnamese", "NORP"), ("Natalegawa", "PERSON"), ("Vietnam", "GPE"),
        ("Blinken", "PERSON"), ("G-7", "ORG"), ("Russia", "GPE"), ("Ukraine", "GPE"), ("Indo-Pacific", "LOC"),
        ("State Department", "ORG"),
    ],
    "004_4e96ee753341a99a.txt": [
        ("US", "GPE"), ("Joe Biden", "PERSON"), ("Vietnam", "GPE"), ("Southeast Asian", "NORP"),
        ("mid-Spetember", "DATE"), ("Politico", "ORG"),
        ("US", "GPE"), ("Vietnam", "GPE"),
        ("Reuters", "ORG"), ("Biden", "PERSON"), ("Vietnam", "GPE"), ("September", "DATE"),
        ("Earlier this month", "DATE"), ("Biden", "PERSON"), ("Vietnam", "GPE"), ("US", "GPE"),
        ("White House", "ORG"), ("Vietnam", "GPE"), ("Reuters", "ORG"), ("Pham Thu Hang", "PERSON"),
        ("Thursday", "DATE"), ("Biden", "PERSON"),
        ("Hang", "PERSON"), ("Reuters", "ORG"),
        ("Chinese", "NORP"), ("Taiwan", "GPE"), ("Taipei", "GPE"), ("Beijing", "GPE"),
        ("US", "GPE"), ("Antony Blinken", "PERSON"), ("Vietnamese", "NORP"), ("Phan Minh Chih", "PERSON"),
        ("April", "DATE"), ("United States", "GPE"), ("Asian", "NORP"), ("China", "GPE"),
        ("South China Sea", "LOC"),
        ("US", "GPE"),
        ("wionews.com", "ORG"),
    ],
}  # fmt: skip

MUST_FIND = {
    ("Antony Blinken", "PERSON"), ("Joe Biden", "PERSON"), ("Nguyen Phu Trong", "PERSON"),
    ("Andreyka Natalegawa", "PERSON"), ("Pham Thu Hang", "PERSON"), ("Vietnam", "GPE"), ("Japan", "GPE"),
    ("Hanoi", "GPE"), ("State Department", "ORG"), ("Reuters", "ORG"), ("Politico", "ORG"),
}  # fmt: skip


def corpus_docs(nlp, corpus: Path):
    for name in GOLD:
        text = HEADER.sub("", (corpus / name).read_text(encoding="utf-8"))
        yield name, text, nlp(text)


def per_label_scores(nlp, corpus: Path) -> dict[str, tuple[float, float]]:
    """Occurrence-level precision and recall per label over the gold articles."""
    tp, pred, gold = Counter(), Counter(), Counter()
    for name, _, doc in corpus_docs(nlp, corpus):
        got = Counter((e.text, e.label_) for e in doc.ents)
        want = Counter(GOLD[name])
        for (_, label), count in (got & want).items():
            tp[label] += count
        for (_, label), count in got.items():
            pred[label] += count
        for (_, label), count in want.items():
            gold[label] += count
    return {label: (tp[label] / pred[label] if pred[label] else 1.0, tp[label] / gold[label]) for label in gold}


def test_finds_the_must_haves_of_the_shared_corpus(nlp, shared_corpus: Path) -> None:
    found = set()
    for _, _, doc in corpus_docs(nlp, shared_corpus):
        found |= ents(doc)
    assert MUST_FIND <= found


def test_precision_and_recall_per_label_on_the_shared_corpus(nlp, shared_corpus: Path) -> None:
    scores = per_label_scores(nlp, shared_corpus)
    print({label: f"P={p:.2f} R={r:.2f}" for label, (p, r) in sorted(scores.items())})
    for label, (precision, recall) in scores.items():
        assert precision >= 0.9 and recall >= 0.8, (label, precision, recall)


# --- offsets ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, person",
    [
        ("👍🏽 Prime Minister Pha\u0323m Minh Chi\u0301nh visited Hanoi on Friday 🇻🇳.", "Pha\u0323m Minh Chi\u0301nh"),
        ("🎉🎉 Reuters: Senator Ame\u0301lie Durand met 🤝 officials in Tokyo in March 2020.", "Ame\u0301lie Durand"),
        ("Ｃａｆé\u0301 talk — President Nguyễn Xuân Phúc said Vietnam's economy grew in 2019.", "Nguyễn Xuân Phúc"),
    ],
)
def test_entity_offsets_index_the_text(nlp, text: str, person: str) -> None:
    doc = nlp(text)
    records = doc_entities(doc)
    assert len(records) >= 3
    for ent, span in zip(records, doc.ents):
        assert text[ent.start : ent.end] == span.text
    assert (person, "PERSON") in ents(doc)


# --- precedence of earlier components -----------------------------------------------------------


def test_keeps_entities_already_in_the_doc(nlp) -> None:
    doc = nlp.make_doc("President Joe Biden visited Vietnam on Monday.")
    doc.ents = [Span(doc, 1, 3, label="ORG"), Span(doc, 4, 5, label="NORP", span_id="patterns")]
    doc = nlp.get_pipe("toolkit_entity_rules")(doc)
    assert [(e.text, e.label_, e.id_) for e in doc.ents] == [
        ("Joe Biden", "ORG", ""),
        ("Vietnam", "NORP", "patterns"),
        ("Monday", "DATE", "rules"),
    ]


def test_overwrite_replaces_overlapping_entities() -> None:
    nlp = blank_english()
    nlp.add_pipe("toolkit_entity_rules", config={"overwrite": True})
    doc = nlp.make_doc("President Joe Biden visited Vietnam.")
    doc.ents = [Span(doc, 0, 2, label="ORG")]
    doc = nlp.get_pipe("toolkit_entity_rules")(doc)
    assert [(e.text, e.label_, e.id_) for e in doc.ents] == [("Joe Biden", "PERSON", "rules"), ("Vietnam", "GPE", "rules")]


def test_surnames_of_model_persons_are_propagated(nlp) -> None:
    doc = nlp.make_doc("Ngo Bao Chau spoke first. Later Chau answered questions.")
    doc.ents = [Span(doc, 0, 3, label="PERSON")]
    doc = nlp.get_pipe("toolkit_entity_rules")(doc)
    assert ("Chau", "PERSON") in ents(doc)
    assert [e.kb_id_ for e in doc.ents if e.text == "Chau"] == ["Ngo Bao Chau"]


# --- serialization -----------------------------------------------------------------------------

SAMPLES = [text for text, _ in POSITIVE] + NEGATIVE


def snapshot(nlp, texts) -> list:
    return [[(e.start_char, e.end_char, e.label_, e.kb_id_, e.id_) for e in nlp(text).ents] for text in texts]


def test_to_disk_then_spacy_load_gives_identical_results(nlp, tmp_path: Path, monkeypatch, shared_corpus: Path) -> None:
    texts = SAMPLES + [HEADER.sub("", (shared_corpus / name).read_text(encoding="utf-8")) for name in GOLD]
    before = snapshot(nlp, texts)
    nlp.to_disk(tmp_path / "pipeline")
    assert (tmp_path / "pipeline" / "toolkit_entity_rules" / "patterns.jsonl").exists()
    assert (tmp_path / "pipeline" / "toolkit_entity_rules" / "cfg").exists()

    def no_package_data():
        raise AssertionError("a loaded pipeline must not rebuild its patterns from the package data")

    monkeypatch.setattr(entities, "default_patterns", no_package_data)
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == nlp.pipe_names
    assert snapshot(loaded, texts) == before


def test_to_bytes_round_trip_keeps_config_and_patterns(tmp_path: Path) -> None:
    nlp = blank_english()
    rules = nlp.add_pipe("toolkit_entity_rules", config={"overwrite": True, "propagate_names": False})
    rules.add_patterns([{"label": "ORG", "pattern": "Acme Widgets", "id": "Acme"}])
    other = entities.EntityRules(blank_english()).from_bytes(rules.to_bytes())
    assert (other.overwrite, other.propagate_names) == (True, False)
    assert other.patterns == rules.patterns
    assert ents(other(other.nlp.make_doc("Acme Widgets hired staff."))) == {("Acme Widgets", "ORG")}


def test_exclude_skips_parts(tmp_path: Path) -> None:
    nlp = blank_english()
    rules = nlp.add_pipe("toolkit_entity_rules", config={"overwrite": True})
    rules.to_disk(tmp_path, exclude=["patterns"])
    assert (tmp_path / "cfg").exists() and not (tmp_path / "patterns.jsonl").exists()
    fresh = entities.EntityRules(nlp, patterns=[{"label": "GPE", "pattern": "Atlantis"}])
    assert fresh.from_bytes(rules.to_bytes(), exclude=["patterns"]).patterns == [{"label": "GPE", "pattern": "Atlantis"}]
    assert fresh.overwrite is True


def test_custom_token_patterns_and_phrase_patterns_are_applied() -> None:
    nlp = blank_english()
    rules = entities.EntityRules(
        nlp,
        patterns=[
            {"label": "EVENT", "pattern": [{"LOWER": "tet"}, {"LOWER": "holiday"}], "id": "Tet"},
            {"label": "ORG", "pattern": "acme corp", "attr": "LOWER"},
        ],
    )
    doc = rules(nlp.make_doc("ACME Corp closed for the Tet holiday."))
    assert ents(doc) == {("ACME Corp", "ORG"), ("Tet holiday", "EVENT")}


def test_malformed_pattern_rows_are_refused_with_the_fix(tmp_path: Path) -> None:
    (tmp_path / "patterns.jsonl").write_text('{"label": "GPE", "pattern": "Hue"}\n{"pattern": 3}\n', encoding="utf-8")
    with pytest.raises(ModelError) as err:
        entities.EntityRules(blank_english()).from_disk(tmp_path)
    assert err.value.code == "E330" and err.value.line == 2
    assert "needs a non-empty 'label'" in str(err.value)


def test_default_patterns_cover_all_sources() -> None:
    rows = gazetteer.default_patterns()
    by_pattern = {(row["pattern"], row["label"]) for row in rows}
    for expected in [("Vietnam", "GPE"), ("Viet Nam", "GPE"), ("Taipei", "GPE"), ("Texas", "GPE"),
                     ("Southeast Asia", "LOC"), ("Reuters", "ORG"), ("prime minister", "_TITLE")]:  # fmt: skip
        assert expected in by_pattern
    assert ("Van", "GPE") not in by_pattern  # a Vietnamese middle name, not the Turkish city
    assert len({row["pattern"] for row in rows if not row["label"].startswith("_")}) == sum(
        1 for row in rows if not row["label"].startswith("_")
    )
