"""Agreement, evaluation metrics, research tables and plots of entities and claims.

The plots (and matplotlib) load on first use, so scoring stays quick to import.
"""
from typing import Any

from .agreement import AgreementReport, Disagreement, agreement, cohen_kappa, disagreements, token_labels
from .metrics import EvaluationReport, evaluate, match_claims, score_claims, score_entities, span_iou
from .tables import (
    annotation_progress,
    claim_table,
    claims_by_speaker,
    entities_by_date,
    entity_table,
    label_distribution,
)

__all__ = [
    "AgreementReport",
    "Disagreement",
    "EvaluationReport",
    "agreement",
    "annotation_progress",
    "claim_table",
    "claims_by_speaker",
    "cohen_kappa",
    "disagreements",
    "entities_by_date",
    "entity_table",
    "evaluate",
    "label_distribution",
    "match_claims",
    "plot_annotation_progress",
    "plot_claims_over_time",
    "plot_claims_per_speaker",
    "plot_entities_over_time",
    "plot_label_distribution",
    "score_claims",
    "score_entities",
    "span_iou",
    "token_labels",
]

_PLOTS = {name for name in __all__ if name.startswith("plot_")}


def __getattr__(name: str) -> Any:
    if name in _PLOTS:
        from . import plots

        return getattr(plots, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
