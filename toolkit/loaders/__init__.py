"""Corpus loaders: folders and globs of ``.txt`` files, CSV/TSV, JSONL, Parquet, DataFrames.

Every loader yields ``toolkit.types.Document`` records lazily.
"""
from .boilerplate import DEFAULT_PATTERNS, Boilerplate, strip_boilerplate
from .dispatch import FORMATS, load
from .tabular import load_dataframe
from .text import HEADER, read_text_file

__all__ = [
    "load",
    "load_dataframe",
    "read_text_file",
    "strip_boilerplate",
    "Boilerplate",
    "DEFAULT_PATTERNS",
    "FORMATS",
    "HEADER",
]
