"""The learning loop: corrections override at once, teach patterns, and retrain models."""
from ..extract.hooks import register_annotations_loader
from .overrides import CorrectionsAdapter, choose_per_document, learn_from_differences, open_annotations
from .ner_gate import NerGate
from .patterns import LearnedPatterns, Suppress

register_annotations_loader(open_annotations)

__all__ = [
    "CorrectionsAdapter",
    "LearnedPatterns",
    "NerGate",
    "Suppress",
    "choose_per_document",
    "learn_from_differences",
    "open_annotations",
]
