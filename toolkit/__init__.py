"""toolkit: entities and claims in news text, with a Jupyter annotation workbench.

The public API; see the README for a tour.
"""
from .about import __version__

from .errors import DriftWarning, FormatError, InputError, ModelError, SchemaError, ToolkitError, ToolkitWarning
from .types import Claim, Correction, Document, Entity, Extraction, ExtractorInfo, Span
from .loaders import load, load_dataframe, read_text_file
from .api import Extractor
from .learn.train import train
from .store import Corrections
from .sample import load_gold, load_sample
from .scale import extract_dask, extract_parallel
from .export import to_dataframe
from .widgets import annotate, review

__all__ = [
    "Claim",
    "Correction",
    "Corrections",
    "Document",
    "DriftWarning",
    "Entity",
    "Extraction",
    "Extractor",
    "ExtractorInfo",
    "FormatError",
    "InputError",
    "ModelError",
    "SchemaError",
    "Span",
    "ToolkitError",
    "ToolkitWarning",
    "extract_dask",
    "extract_parallel",
    "load",
    "load_dataframe",
    "load_gold",
    "load_sample",
    "read_text_file",
    "annotate",
    "review",
    "to_dataframe",
    "train",
]
