"""Agreement, evaluation metrics, research tables and plots of entities and claims.

The tables (and pandas) and the plots (and matplotlib) load on first use, so scoring
(:mod:`toolkit.analysis.metrics`) stays quick to import and free of pandas.
"""
from typing import Any

from .agreement import AgreementReport, Disagreement, agreement, cohen_kappa, disagreements, token_labels
from .metrics import EvaluationReport, evaluate, match_claims, score_claims, score_entities, span_iou

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
_TABLES = {"annotation_progress", "claim_table", "claims_by_speaker", "entities_by_date", "entity_table", "label_distribution"}


def __getattr__(name: str) -> Any:
    if name in _PLOTS:
        from . import plots

        return getattr(plots, name)
    if name in _TABLES:
        from . import tables

        return getattr(tables, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
