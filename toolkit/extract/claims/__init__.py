"""Rule-based claims: the component ``toolkit_claim_rules`` and its layers.

It finds attributed statements and writes them to ``doc._.claims`` (origin ``rules``), from
two layers, each a pure function of a :class:`View` of the doc:

- :mod:`.quotes` (``toolkit.claims.quotes.v1``): direct quotes, attributed after, before, or
  by the quote before them;
- :mod:`.colon` (``toolkit.claims.colon.v1``): ``Name: statement`` headlines;
- :mod:`.reported` (``toolkit.claims.reported.v1``): reported speech, ``X said (that) ...``,
  ``..., X said``, ``according to X, ...``, ``X told Y ...``;

merged by :func:`.component.find_claims` (an earlier layer's claim wins). With a parser, the
component ``toolkit_claim_syntax`` (:class:`ClaimSyntax`) adds the claims of the parse
(:mod:`.syntax`, with :mod:`.attribution` and :mod:`.assembly`, verbs from :mod:`.reporting`)
and merges them with the rules' (:func:`.component.merge`). :mod:`.speakers`
finds who said it, :mod:`.hedging` whether it is hedged; every word the rules read is in
:mod:`.lexicon`, read from the one lexicon file ``extract/data/cues.tsv``.
"""
from .component import LAYERS, ClaimRules, ClaimSyntax, Layer, find_claims
from .lexicon import CUE_SET, CUE_VERBS, HEDGES, NEGATIONS, SPEAKER_LABELS
from .quotes import MAX_ATTRIBUTION_CHARS, MIN_QUOTE_WORDS, find_direct
from .reported import find_indirect
from .syntax import find_syntax
from .view import View

_View = View  # the name of earlier versions

__all__ = [
    "ClaimRules", "ClaimSyntax", "find_claims", "find_syntax", "Layer", "LAYERS", "find_direct", "find_indirect", "View",
    "CUE_VERBS", "CUE_SET", "HEDGES", "NEGATIONS", "SPEAKER_LABELS", "MAX_ATTRIBUTION_CHARS", "MIN_QUOTE_WORDS",
]  # fmt: skip
