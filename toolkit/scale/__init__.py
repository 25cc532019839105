"""Corpus-size extraction: all cores of one machine, or a Dask cluster."""
from .distributed import extract_dask, iter_results, loaded_extractors, stream_dask, write_dask_results
from .incremental import previous_results, reuse_or_extract
from .parallel import extract_parallel

__all__ = [
    "extract_dask",
    "extract_parallel",
    "iter_results",
    "loaded_extractors",
    "previous_results",
    "reuse_or_extract",
    "stream_dask",
    "write_dask_results",
]
