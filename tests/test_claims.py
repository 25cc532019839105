"""The claim rules on sentences written for these tests: (content, speaker, cue, kind, hedged)."""
from __future__ import annotations

import pytest

from toolkit.types import Document

POSITIVE = [
    ('"We will not give up the talks," said Mayor Lin Okafor.', ("We will not give up the talks", "Lin Okafor", "said", "direct", False)),
    ("\u201cThe harbour deal is finished and signed,\u201d Ilse Varga told reporters.", ("The harbour deal is finished and signed", "Ilse Varga", "told", "direct", False)),
    ("The ministry said that exports rose sharply in the spring.", ("exports rose sharply in the spring", "ministry", "said", "indirect", False)),
    ("Prices could climb again before winter, analysts said.", ("Prices could climb again before winter", "analysts", "said", "indirect", True)),
    ("According to Reuters, the convoy reached the border town.", ("the convoy reached the border town", "Reuters", "According to", "indirect", False)),
    ("Talks reportedly stalled over fishing rights, according to Kyodo.", ("Talks reportedly stalled over fishing rights", "Kyodo", "according to", "indirect", True)),
    # an all-capitals "according to" is a cue like any other (headlines, wire copy)
    ("TALKS STALLED OVER FISHING RIGHTS, ACCORDING TO KYODO.", ("TALKS STALLED OVER FISHING RIGHTS", "KYODO", "ACCORDING TO", "indirect", False)),
    ("Politico has reported citing two aides that the visit might slip to autumn.", ("the visit might slip to autumn", "Politico", "has reported", "indirect", True)),
    ("Experts say the new bridge could open next year.", ("the new bridge could open next year", "Experts", "say", "indirect", True)),
    # hedging is a whole hedge word: not "couldn't", not "might" in "mightily", not the month "May"
    ("Exports couldn't keep pace with imports, the ministry said.", ("Exports couldn't keep pace with imports", "ministry", "said", "indirect", False)),
    ("The envoy said the deal was mightily important to the port.", ("the deal was mightily important to the port", "envoy", "said", "indirect", False)),
    ('"The bridge will open in May next year," Ilse Varga said.', ("The bridge will open in May next year", "Ilse Varga", "said", "direct", False)),
    ("Officials said the ferry might be late, citing the storm.", ("the ferry might be late, citing the storm", "Officials", "said", "indirect", True)),
    # an adverb between the speaker and the cue is no part of the speaker
    ("Lin Okafor also said the port would reopen on Friday.", ("the port would reopen on Friday", "Lin Okafor", "said", "indirect", False)),
    ("Officials also said the port would reopen.", ("the port would reopen", "Officials", "said", "indirect", False)),
    ("The port will reopen on Friday, Lin Okafor later told reporters.", ("The port will reopen on Friday", "Lin Okafor", "told", "indirect", False)),
    # an apposition or a clause between the speaker and the cue
    ("Maria Santos, a senior researcher at the Lowy Institute, said the talks would resume next month.", ("the talks would resume next month", "Maria Santos", "said", "indirect", False)),
    ("Ilse Varga, the harbour master, also said the port would reopen.", ("the port would reopen", "Ilse Varga", "said", "indirect", False)),
    ("Søren Dahl, Denmark's minister for development, said in Hanoi that Danish firms would invest.", ("Danish firms would invest", "Søren Dahl", "said", "indirect", False)),
    ("The ministry, which oversees ports, said the port would reopen on Friday.", ("the port would reopen on Friday", "ministry", "said", "indirect", False)),
    ("The port will reopen, Ilse Varga, the harbour master, said on Monday.", ("The port will reopen", "Ilse Varga", "said", "indirect", False)),
    ("The port will reopen on Friday, said Ilse Varga, the harbour master.", ("The port will reopen on Friday", "Ilse Varga", "said", "indirect", False)),
    ("Kosko's lawyer, Neil Haverty, said his client would appeal.", ("his client would appeal", "Neil Haverty", "said", "indirect", False)),
    # the speaker: a person before other entities; a nationality or a place's possessive opens a noun phrase
    ('"Rice harvests are down in three countries already," UN economist Mara Quint told VOA.', ("Rice harvests are down in three countries already", "Mara Quint", "told", "direct", False)),
    ('"Trust between neighbours is built one exercise at a time," said Australian Defence Minister Ruth Calloway.', ("Trust between neighbours is built one exercise at a time", "Ruth Calloway", "said", "direct", False)),
    ('"The Mekong feeds sixty million people," Somchai told lawmakers in Bangkok.', ("The Mekong feeds sixty million people", "Somchai", "told", "direct", False)),
    ("Indonesian officials said the patrols would begin in August.", ("the patrols would begin in August", "Indonesian officials", "said", "indirect", False)),
    ("Vietnamese officials often say that the stance is strategic.", ("the stance is strategic", "Vietnamese officials", "say", "indirect", False)),
    ("Vietnam's foreign ministry said that the visit would focus on fisheries.", ("the visit would focus on fisheries", "Vietnam's foreign ministry", "said", "indirect", False)),
    ("Beijing sent three ships to the area last week, according to Philippine officials.", ("Beijing sent three ships to the area last week", "Philippine officials", "according to", "indirect", False)),
    ("Botswana's transport minister, Kabo Molefhe, said traffic across the bridge had doubled.", ("traffic across the bridge had doubled", "Kabo Molefhe", "said", "indirect", False)),
    ('"We are walking out because patients are at risk," Siobhan Rafferty, a ward nurse, said.', ("We are walking out because patients are at risk", "Siobhan Rafferty", "said", "direct", False)),
    # a short subject with no person in it is the speaker, whole; an adverb before it is not
    ("The Vermont Agency of Agriculture said the state had lost a third of its dairy farms.", ("the state had lost a third of its dairy farms", "Vermont Agency of Agriculture", "said", "indirect", False)),
    ("Critics from the Green Party argued that the money should have gone to railways.", ("the money should have gone to railways", "Critics from the Green Party", "argued", "indirect", False)),
    ("Later the ministry said the port would reopen.", ("the port would reopen", "ministry", "said", "indirect", False)),
    # what follows "told Reuters" is a clause: the attribution comes before the comma-free part
    ("In a statement on Monday, Ilse Varga told Reuters the port would reopen.", ("the port would reopen", "Ilse Varga", "told", "indirect", False)),
]

NEGATIVE = [
    "The United States is the largest buyer of the region's rice.",  # "States" is no cue
    "It's the fund's third year in the capital.",  # apostrophes are not quotes
    'The plan, dubbed "bold" by some, was shelved.',  # short scare quote, no attribution
    'The banner read "We want peace now and forever without end.',  # unbalanced quote: refuse
    "Ilse Varga, the harbour master, said.",  # nothing said
    "Critics praised Said And Done, which opened in Hanoi on Monday.",  # a cue verb counts in lower case only
    "The committee acted according with the rules set last year.",  # "according" alone is no cue
]


def claims_of(extractor, text):
    x = extractor.extract(Document(id="t", text=text))
    return [
        (c.text(text), c.speaker.text(text) if c.speaker else None, c.cue.text(text) if c.cue else None, c.kind, c.hedged)
        for c in x.claims
    ]


@pytest.mark.parametrize("text, expected", POSITIVE)
def test_claims_are_found_with_speaker_cue_kind_and_hedging(extractor, text, expected):
    assert claims_of(extractor, text) == [expected]


@pytest.mark.parametrize("text", NEGATIVE)
def test_no_claim_without_an_attribution(extractor, text):
    assert claims_of(extractor, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Officials have not said when the bridge will open.",
        "The ministry has NOT said the port would reopen.",  # a negation counts in any case
        "The ministry has Never said the port would reopen.",
    ],
)
def test_a_negated_attribution_is_a_claim_with_the_flag(extractor, text):
    (claim,) = extractor.extract(Document(id="t", text=text)).claims
    assert claim.negated and claim.cue.text(text) in ("said", "has NOT said", "has Never said")


def test_a_quote_split_around_its_attribution_is_one_claim_in_parts(extractor):
    text = '"The port will reopen on Friday," Ilse Varga said. "Ships are already waiting outside the harbour."'
    (claim,) = extractor.extract(Document(id="t", text=text)).claims
    assert [p.text(text) for p in claim.parts] == ["The port will reopen on Friday", "Ships are already waiting outside the harbour."]
    assert (claim.start, claim.end) == (claim.parts[0].start, claim.parts[-1].end)
    assert claim.speaker.text(text) == "Ilse Varga" and claim.kind == "direct"


def test_the_attribution_before_a_quote_starts_after_the_quote_before_it(extractor):
    # the second quote belongs to "Mijiwa added", not to the first quote's words ("often note")
    text = "\u201cVietnamese officials often note that the stance is strategic,\u201d Mijiwa added. \u201cCurrent signals show that Vietnam might be ready.\u201d"
    assert [(c[1], c[2]) for c in claims_of(extractor, text)] == [("Mijiwa", "added")]
    (claim,) = extractor.extract(Document(id="t", text=text)).claims
    assert len(claim.parts) == 2 and claim.hedged  # "might", in the second part


def test_multi_sentence_quote_is_one_claim(extractor):
    text = '"We came to listen. We leave with a plan for the river," the envoy Tomas Reyna said.'
    assert claims_of(extractor, text)[0][0] == "We came to listen. We leave with a plan for the river"


def test_offsets_hold_with_emoji_and_combining_marks(extractor):
    text = "🙂 Cafe\u0301 owners said that the new tax would hurt small shops 👎."
    found = extractor.extract(Document(id="u", text=text)).claims
    assert len(found) == 1
    assert text[found[0].start : found[0].end] == "the new tax would hurt small shops 👎"


def test_a_paragraph_break_before_an_apposed_speaker_is_no_word(extractor):
    text = "The council met on Monday.\n\nBaltic Cruise Partners, which runs most ships, said it would challenge the ban."
    assert claims_of(extractor, text) == [
        ("it would challenge the ban", "Baltic Cruise Partners", "said", "indirect", False)
    ]


@pytest.mark.parametrize("opening, closing", [('"', '"'), ("\u201c", "\u201d")])
def test_reported_speech_right_before_a_quote_is_found(extractor, opening, closing):
    # spaCy's sentencizer ends "... reopen." after the quote mark that opens the next sentence;
    # that mark is no part of the first sentence, which does not overlap the quote
    text = f"Officials said the port would reopen. {opening}We will reopen the port next week,{closing} she said."
    assert claims_of(extractor, text) == [
        ("the port would reopen", "Officials", "said", "indirect", False),
        ("We will reopen the port next week", "she", "said", "direct", False),
    ]
