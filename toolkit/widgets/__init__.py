"""JupyterLab panels for correcting extractions and reviewing two annotators' work."""
from .api import annotate, open_store
from .panel import AnnotationPanel
from .queue import has_claims, has_label, has_speaker, min_score
from .review import ReviewPanel, review

__all__ = [
    "AnnotationPanel",
    "ReviewPanel",
    "annotate",
    "has_claims",
    "has_label",
    "has_speaker",
    "min_score",
    "open_store",
    "review",
]
