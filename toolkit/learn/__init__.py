"""The learning loop: corrections override at once, teach patterns, and retrain models."""
from .overrides import CorrectionsAdapter, choose_per_document, learn_from_differences, open_annotations
from .ner_gate import NerGate
from .patterns import LearnedPatterns, Suppress

__all__ = [
    "CorrectionsAdapter",
    "LearnedPatterns",
    "NerGate",
    "Suppress",
    "choose_per_document",
    "learn_from_differences",
    "open_annotations",
]
