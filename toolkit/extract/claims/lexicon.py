"""The claim rules' words, read once from the one lexicon file, ``extract/data/cues.tsv``.

Its ``_CLAIM_*`` lists are the claim rules' own (cue verbs, hedges, negations, "according
to", the words that end a speaker or a subject...); ``_SPEECH_ADVERB`` is shared with the
entity rules. Nothing here lists a word: to change what the rules read, edit the file.
The rules compare spaCy string ids (``LOWER`` of a token), so each list is also a set of ids.
"""
from __future__ import annotations

from spacy.strings import get_string_id

from ..gazetteer import cue_list

CUE_VERBS: list[str] = list(cue_list("_CLAIM_CUE"))
CUE_SET = frozenset(CUE_VERBS)  # lower-case forms only: "States" in "United States" is no cue
HEDGES: list[str] = list(cue_list("_CLAIM_HEDGE"))
NEGATIONS = set(cue_list("_CLAIM_NEGATION"))
DETERMINERS = set(cue_list("_CLAIM_DETERMINER"))
STOP_NP = set(cue_list("_CLAIM_STOP_NP"))
SPEECH_ADVERBS = frozenset(cue_list("_SPEECH_ADVERB"))  # "analysts also said": skipped
ACCORDING_TO: tuple[str, str] = tuple(cue_list("_CLAIM_ACCORDING")[0].split())  # type: ignore[assignment]
if len(ACCORDING_TO) != 2 or len(cue_list("_CLAIM_ACCORDING")) != 1:
    raise ValueError("cues.tsv: _CLAIM_ACCORDING must list one two-word cue ('according to'); the rules look for its two tokens.")
#: entity labels a speaker may have
SPEAKER_LABELS = {"PERSON", "ORG", "GPE", "NORP"}

_H = get_string_id


def ids(words) -> frozenset[int]:
    """The string ids of ``words``."""
    return frozenset(_H(w) for w in words)


CUE_H = ids(CUE_VERBS)
HEDGE_H = ids(HEDGES)
NEG_H = ids(NEGATIONS)
SPEAKER_H = ids(SPEAKER_LABELS)
PERSON_H, NORP_H, GPE_H = _H("PERSON"), _H("NORP"), _H("GPE")
POSSESSIVE_H = ids(cue_list("_CLAIM_POSSESSIVE"))
STOP_H = ids(STOP_NP)
DET_H = ids(DETERMINERS)
ADVERB_H = ids(SPEECH_ADVERBS)
# words that make what follows a cue a clause (content), not a speaker
VERBISH_H = ids(cue_list("_CLAIM_VERBISH"))
# words that end the noun phrase an entity opens ("Indonesian officials also said")
NOT_NOUN_H = STOP_H | ADVERB_H | VERBISH_H | CUE_H
# a subject does not start with a preposition or an adverb ("In Hanoi officials said"), nor hold a verb or a clause
NOT_SUBJECT_START_H = ADVERB_H | ids(cue_list("_CLAIM_NOT_SUBJECT_START"))
NOT_IN_SUBJECT_H = VERBISH_H | CUE_H | ids(cue_list("_CLAIM_NOT_IN_SUBJECT"))
HAVE_H = ids(cue_list("_CLAIM_HAVE"))
DO_H = ids(cue_list("_CLAIM_DO"))
TOLD_H = ids(cue_list("_CLAIM_TOLD"))
TAIL_H = ids(cue_list("_CLAIM_TAIL"))
ACCORDING, TO = (_H(w) for w in ACCORDING_TO)
COMMA, THAT, CITING = (_H(w) for w in (",", "that", "citing"))
