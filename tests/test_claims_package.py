"""The claims package: one lexicon, one default per setting, pure layers merged earlier-first."""
from __future__ import annotations

import inspect
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from toolkit.extract import claims, gazetteer
from toolkit.extract.claims import component, lexicon

CUES_FILE = Path(gazetteer.__file__).parent / "data" / "cues.tsv"


def lists_in_file() -> dict[str, set[str]]:
    """The lists of cues.tsv, parsed here without the package's reader."""
    found: dict[str, set[str]] = {}
    for line in CUES_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, items = line.split("\t", 1)
            found.setdefault(label, set()).update(item.strip() for item in items.split("|") if item.strip())
    return found


@pytest.mark.parametrize(
    "words, label",
    [
        (claims.CUE_SET, "_CLAIM_CUE"),
        (set(claims.HEDGES), "_CLAIM_HEDGE"),
        (claims.NEGATIONS, "_CLAIM_NEGATION"),
        (lexicon.DETERMINERS, "_CLAIM_DETERMINER"),
        (lexicon.STOP_NP, "_CLAIM_STOP_NP"),
        (lexicon.SPEECH_ADVERBS, "_SPEECH_ADVERB"),  # shared with the entity rules
        ({" ".join(lexicon.ACCORDING_TO)}, "_CLAIM_ACCORDING"),
    ],
)
def test_the_claim_rules_words_are_the_lists_of_the_lexicon_file(words, label):
    assert set(words) == lists_in_file()[label]


def test_the_ids_the_rules_compare_are_those_of_the_lexicon_words():
    file = lists_in_file()
    assert lexicon.CUE_H == lexicon.ids(file["_CLAIM_CUE"])
    assert lexicon.HEDGE_H == lexicon.ids(file["_CLAIM_HEDGE"])
    assert lexicon.TOLD_H == lexicon.ids(file["_CLAIM_TOLD"]) and file["_CLAIM_TOLD"] <= file["_CLAIM_CUE"]
    assert lexicon.TAIL_H == lexicon.ids(file["_CLAIM_TAIL"])


def test_no_module_of_the_package_lists_cue_verbs_of_its_own():
    # the words live in cues.tsv only: no source line outside docstrings and comments spells a list of them
    for path in Path(claims.__file__).parent.glob("*.py"):
        code = path.read_text(encoding="utf-8")
        assert '"said says' not in code and "'said'" not in code and '"reportedly' not in code, path.name


def test_the_claim_lists_are_no_patterns_of_the_entity_rules():
    labels = {row["label"] for row in gazetteer.default_patterns()}
    assert not {label for label in labels if label.startswith(gazetteer.CLAIM_PREFIX)}
    assert "_SPEECH" in labels and "_SPEECH_ADVERB" in labels


def test_an_unknown_lexicon_list_is_refused_with_the_fix():
    with pytest.raises(ValueError) as caught:
        gazetteer.cue_list("_CLAIM_CUES")
    assert str(caught.value) == (
        f"{gazetteer.CUES_FILE}: no list labelled '_CLAIM_CUES'. Add a line '_CLAIM_CUES<TAB>word|word' or check the label."
    )


def test_one_default_for_max_attribution_chars_in_factory_class_and_layer():
    spacy.blank("en")  # spaCy reads the factories' entry points when a Language is made
    factory = Language.get_factory_meta("toolkit_claim_rules").default_config
    cls = claims.ClaimRules().cfg
    layer = inspect.signature(claims.find_direct).parameters
    assert claims.MAX_ATTRIBUTION_CHARS == 250  # the value the pipeline has used (built through the factory)
    assert factory["max_attribution_chars"] == cls["max_attribution_chars"] == layer["max_attribution_chars"].default == 250
    assert factory["min_quote_words"] == cls["min_quote_words"] == layer["min_quote_words"].default == claims.MIN_QUOTE_WORDS


def test_the_pipeline_component_uses_the_one_default(extractor):
    assert extractor.nlp.get_pipe("toolkit_claim_rules").cfg == {"min_quote_words": 4, "max_attribution_chars": 250}


def test_make_claim_rules_keeps_its_name_and_config_keys():
    from toolkit import factories

    assert factories.make_claim_rules.__name__ == "make_claim_rules"
    assert set(inspect.signature(factories.make_claim_rules).parameters) == {"nlp", "name", "min_quote_words", "max_attribution_chars"}


def test_layers_are_listed_in_order_with_versioned_names():
    assert [layer.name for layer in claims.LAYERS] == [
        "toolkit.claims.quotes.v1", "toolkit.claims.colon.v1", "toolkit.claims.reported.v1",
    ]  # fmt: skip


def test_layers_never_write_to_the_doc(extractor):
    text = 'Ilse Varga: "The port will reopen within days."\n\nOfficials said the port would reopen. "We will reopen the port next week," she said.'
    doc = extractor.nlp(text)
    state = lambda: (doc.to_bytes(exclude=["user_data"]), list(doc._.claims), sorted(map(str, doc.user_data)))
    before = state()
    view = claims.View(doc)
    for layer in claims.LAYERS:
        assert layer.find(view)
    assert state() == before


def test_reported_speech_in_a_sentence_that_holds_a_quote_is_left_to_the_quote(extractor):
    # the reported-speech layer alone finds a claim here; the earlier quote layer's claim wins the sentence
    text = '"We will win this match tonight," she said, and the coach said the team was ready.'
    doc = extractor.nlp(text)
    assert [c.text(text) for c in claims.find_indirect(claims.View(doc))] == ["and the coach said the team was ready"]
    assert [(c.text(text), c.kind) for c in claims.find_claims(claims.View(doc))] == [("We will win this match tonight", "direct")]
    # the parse sees the second attribution of the sentence too (toolkit_claim_syntax)
    assert [(c.text(text), c.kind) for c in doc._.claims] == [("We will win this match tonight", "direct"), ("the team was ready", "indirect")]


def test_a_later_layer_claim_outside_every_earlier_reach_is_kept():
    view = object()
    first = component.Layer("a", lambda v: [_claim(0, 10)], lambda v, c: (c.start, c.end), ())
    second = component.Layer("b", lambda v: [_claim(5, 8), _claim(10, 20)], lambda v, c: (c.start, c.end), ())
    found = component.find_claims(view, layers=(first, second))  # type: ignore[arg-type]
    assert [(c.start, c.end) for c in found] == [(0, 10), (10, 20)]


def _claim(start: int, end: int):
    from toolkit.types import Claim

    return Claim(start, end)
