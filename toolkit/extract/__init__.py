"""Extraction of entities and claims with a spaCy pipeline (rules need no download)."""
from .extractor import Extractor, as_document
from .hooks import AnnotationAdapter
from .pipeline import build_pipeline, load_model
from .tokenizer import blank_english

__all__ = [
    "AnnotationAdapter",
    "Extractor",
    "as_document",
    "blank_english",
    "build_pipeline",
    "load_model",
]
