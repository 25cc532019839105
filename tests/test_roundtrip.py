"""import(export(x)) == x, for random documents with Unicode text (emoji, CJK, combining
marks, double spaces, newlines) and random non-overlapping token-aligned entities and claims
(of every kind, with parts, negation and a speaker name)."""
from __future__ import annotations

import tempfile
import warnings
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from toolkit.export import export_records, import_records
from toolkit.extract.tokenizer import blank_english
from toolkit.types import CLAIM_KINDS, ENTITY_LABELS, Claim, Correction, Document, Entity, ExtractorInfo, Span

NLP = blank_english()
WORDS = ["Paris", "said", "Merkel", "the", "U.S.-Vietnam", "talks", "😀", "👩‍🔬", "北京", "欢迎你", "東京都",
         "Zoë", "e\u0301te\u0301", "café", "«quoted»", "\"Yes\"", ",", ".", "—", "O'Neil", "$5", "2023-04-10",
         "Ünïcödé", "ﬁne", "\u00a0nbsp", "Straße", "İstanbul", "🇫🇷"]
SEPARATORS = [" ", " ", " ", "  ", "\n", "\n\n", " \n "]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def token_ranges(draw, text: str, *, overlap: bool, n: int) -> list[tuple[int, int]]:
    """Up to n random [start, end) character ranges on whole non-space tokens."""
    doc = NLP.make_doc(text)
    words = [t for t in doc if not t.is_space]
    used: set[int] = set()
    out = []
    for _ in range(draw(st.integers(0, n))):
        if not words:
            break
        i = draw(st.integers(0, len(words) - 1))
        j = draw(st.integers(i, min(i + 3, len(words) - 1)))
        first, last = words[i], words[j]
        tokens = set(range(first.i, last.i + 1))
        if not overlap and tokens & used:
            continue
        used |= tokens
        out.append((first.idx, last.idx + len(last.text)))
    return out


@st.composite
def pieces(draw, text: str, start: int, end: int) -> tuple[Span, ...]:
    """No parts, or 2-3 disjoint whole-token pieces of [start, end), in order."""
    words = [t for t in NLP.make_doc(text) if not t.is_space and start <= t.idx and t.idx + len(t.text) <= end]
    if len(words) < 2 or not draw(st.booleans()):
        return ()
    cuts = sorted(draw(st.sets(st.integers(1, len(words) - 1), min_size=1, max_size=2)))
    groups = [words[a:b] for a, b in zip([0, *cuts], [*cuts, len(words)])]
    return tuple(Span(g[0].idx, g[-1].idx + len(g[-1].text)) for g in groups)


@st.composite
def records(draw, *, claims: bool = True, conll: bool = False) -> Correction:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=14))
    if conll:
        text = " ".join(words)
    else:
        seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words), max_size=len(words)))
        text = "".join(w + s for w, s in zip(words, seps))[: -len(seps[-1])] + draw(st.sampled_from(["", "\n", " "]))
    entities = [Entity(s, e, draw(st.sampled_from(ENTITY_LABELS))) for s, e in token_ranges(draw, text, overlap=False, n=4)]
    claim_list = []
    if claims:
        for s, e in token_ranges(draw, text, overlap=True, n=2):
            parts = token_ranges(draw, text, overlap=True, n=2) + [None, None]
            speaker, cue = draw(st.sampled_from(parts)), draw(st.sampled_from(parts))
            name = draw(st.sampled_from(parts))
            claim_list.append(Claim(s, e, kind=draw(st.sampled_from(CLAIM_KINDS)), hedged=draw(st.booleans()),
                                    speaker=Span(*speaker) if speaker else None, cue=Span(*cue) if cue else None,
                                    parts=draw(pieces(text, s, e)), negated=draw(st.booleans()),
                                    speaker_name=Span(*name) if name else None))
    meta = draw(st.sampled_from([{}, {"date": "2023-04-10", "source": "feed é"}, {"tags": ["a", "b"], "n": 3}]))
    extractor = draw(st.sampled_from([None, ExtractorInfo("toolkit", "0.1.0")]))
    return Correction.create(
        Document(id=draw(st.sampled_from(["doc-1", "北京-2", "a b"])), text=text),
        annotator=draw(st.sampled_from(["alice", "bob", "Zoë"])),
        answer=draw(st.sampled_from(["accept", "reject", "ignore"])),
        entities=entities,
        claims=claim_list,
        meta=meta,
        extractor=extractor,
        timestamp=draw(st.sampled_from(["2026-11-22T10:15:30.123456+00:00", "2024-01-01T00:00:00+00:00"])),
    )


def roundtrip(record: Correction, fmt: str, **options) -> list[Correction]:
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = Path(tmp) / "out"
        assert export_records([record], fmt, out, **options) == 1
        return list(import_records(out, fmt))


@SETTINGS
@given(records())
def test_jsonl_roundtrip_is_exact(record):
    assert roundtrip(record, "jsonl") == [record]


@SETTINGS
@given(records())
def test_spacy_docbin_roundtrip_is_exact(record):
    assert roundtrip(record, "spacy") == [record]


@SETTINGS
@given(records())
def test_prodigy_roundtrip_is_exact(record):
    assert roundtrip(record, "prodigy") == [record]


@SETTINGS
@given(records())
def test_label_studio_roundtrip_is_exact(record):
    assert roundtrip(record, "label-studio") == [record]


@SETTINGS
@given(records())
def test_label_studio_predictions_roundtrip_is_exact(record):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        export_records([record], "label-studio", out, predictions=True)
        assert list(import_records(out, "label-studio", source="predictions")) == [record]


@SETTINGS
@given(records())
def test_doccano_relations_roundtrip_is_exact(record):
    assert roundtrip(record, "doccano", relations=True) == [record]


@SETTINGS
@given(records(claims=False))
def test_doccano_sequence_roundtrip_is_exact_for_entities(record):
    assert roundtrip(record, "doccano") == [record]


@SETTINGS
@given(records(conll=True))
def test_conll_roundtrip_is_exact_for_text_in_token_form(record):
    # Put the text in CoNLL's form first (tokens joined by single spaces, one sentence a line).
    bare = replace(record, entities=(), claims=())
    for _ in range(3):
        (again,) = roundtrip(bare, "conll")
        if again.text == bare.text:
            break
        bare = replace(bare, text=again.text, text_sha256="")
    assume(again.text == bare.text)
    lines = [line for line in bare.text.split("\n")]
    starts = [sum(len(x) + 1 for x in lines[:i]) for i in range(len(lines))]
    in_line = [e for e in _entities_for(bare.text) if any(s <= e.start and e.end <= s + len(x) for s, x in zip(starts, lines))]
    record = replace(bare, entities=tuple(in_line))
    (back,) = roundtrip(record, "conll")
    assert (back.text, back.entities) == (record.text, record.entities)


def _entities_for(text: str) -> list[Entity]:
    doc = NLP.make_doc(text)
    words = [t for t in doc if not t.is_space]
    return [Entity(t.idx, t.idx + len(t.text), "GPE", origin="correction") for t in words[::3]]


@SETTINGS
@given(st.lists(records(), min_size=1, max_size=4))
def test_several_records_of_one_document_roundtrip(batch):
    """Label Studio groups records of one document as annotations of one task; order is kept per task."""
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for fmt in ("jsonl", "spacy", "prodigy", "doccano"):
            out = Path(tmp) / fmt
            options = {"relations": True} if fmt == "doccano" else {}
            export_records(batch, fmt, out, **options)
            assert list(import_records(out, fmt)) == batch
        out = Path(tmp) / "ls.json"
        export_records(batch, "label-studio", out)
        back = list(import_records(out, "label-studio"))
        assert sorted(back, key=repr) == sorted(batch, key=repr)
