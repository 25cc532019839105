"""Extraction on all cores of one machine, by whole chunks of documents.

spaCy's ``nlp.pipe(n_process=...)`` pickles every document and pays start-up per call,
which makes it slower than one process for rule pipelines on few cores. Here the
Extractor is built once: in the parent, and inherited by forked workers where the
platform forks (Linux), or once per worker in the pool initializer elsewhere (``spawn``).
Workers receive chunks of a few hundred documents; results come back in input order,
and at most ``2 * workers`` chunks are in flight, so memory stays bounded on any corpus
size.
"""
from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import WorkerError
from ..extract.pipeline import AUTO
from ..types import Document, Extraction

_WORKER: Any = None
_INIT_ERROR: BaseException | None = None


def _init_worker(model: str | None, annotations: str | None, batch_size: int, labels: Any, on_error: str, quiet: bool) -> None:
    global _WORKER, _INIT_ERROR
    if _WORKER is not None:  # forked from a parent that built it
        return
    import warnings

    from ..api import Extractor
    from ..errors import ToolkitWarning

    try:
        with warnings.catch_warnings():
            if quiet:  # the parent read the same store and has reported its skipped lines once
                warnings.simplefilter("ignore", ToolkitWarning)
            _WORKER = Extractor(model, annotations=annotations, batch_size=batch_size, labels=labels, on_error=on_error)
    except Exception as err:  # raised by each chunk, so the parent gets this error rather than a broken pool
        _INIT_ERROR = err


def _context(start_method: str | None) -> multiprocessing.context.BaseContext:
    if start_method is None:
        start_method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(start_method)


def _run_chunk(docs: list[Document], as_dicts: bool) -> list[Extraction] | list[dict]:
    if _INIT_ERROR is not None:
        raise _INIT_ERROR
    if as_dicts:  # plain dicts unpickle ~5x faster than records in the parent
        return [extraction.to_dict() for extraction in _WORKER.pipe(docs)]
    return list(_WORKER.pipe(docs))


def extract_parallel(
    docs: Iterable[Document],
    *,
    workers: int,
    model: str | Path | None = AUTO,
    annotations: str | Path | None = None,
    chunk_size: int = 256,
    batch_size: int = 64,
    start_method: str | None = None,
    extractor: Any = None,
    as_dicts: bool = False,
    labels: str | Iterable[str] | None = None,
    on_error: str = "raise",
) -> Iterator[Extraction] | Iterator[dict]:
    """Like ``Extractor(model, annotations=..., labels=..., on_error=...).pipe(docs)``, on ``workers`` processes.

    Output order and content are identical to one process. ``start_method`` is
    ``"fork"`` (the default where available: the pipeline is built once, in this
    process, and shared copy-on-write) or ``"spawn"`` (each worker builds it).
    ``extractor``: an Extractor already built here from the same ``model``,
    ``annotations``, ``labels`` and ``on_error``, reused instead of building another (spawned
    workers then build theirs without repeating its warnings). ``as_dicts``: yield
    ``Extraction.to_dict()`` records, built in the workers (what a JSONL writer wants).
    ``labels`` and ``on_error`` (how bad lines of the ``annotations`` store are read) are
    :class:`toolkit.Extractor`'s.
    """
    global _WORKER
    if workers <= 1:
        from ..api import Extractor

        one = extractor or Extractor(model, annotations=annotations, batch_size=batch_size, labels=labels, on_error=on_error)
        for extraction in one.pipe(docs):
            yield extraction.to_dict() if as_dicts else extraction
        return
    context = _context(start_method)
    stream = iter(docs)
    if labels is not None and not isinstance(labels, str):
        labels = list(labels)  # a generator would not pickle
    args = (
        str(model) if model is not None else None,
        str(annotations) if annotations is not None else None,
        batch_size,
        labels,
        on_error,
        extractor is not None,
    )
    if context.get_start_method() == "fork":
        from ..api import Extractor

        _WORKER = extractor or Extractor(model, annotations=annotations, batch_size=batch_size, labels=labels, on_error=on_error)
    try:
        yield from _run_pool(stream, workers, context, args, chunk_size, as_dicts)
    finally:
        _WORKER = None


def _run_pool(stream: Iterator[Document], workers: int, context, args: tuple, chunk_size: int, as_dicts: bool) -> Iterator:
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker, initargs=args) as pool:
        pending: deque[Future] = deque()
        done = 0
        while True:
            while len(pending) < 2 * workers:
                chunk = list(islice(stream, chunk_size))
                if not chunk:
                    break
                pending.append(pool.submit(_run_chunk, chunk, as_dicts))
            if not pending:
                return
            try:
                results = pending.popleft().result()
            except BrokenProcessPool as err:
                raise WorkerError(
                    f"a worker process died after {done} documents had been extracted (killed from outside, or by "
                    "the system when memory ran out). The results so far are intact; run again with fewer --workers, "
                    "or a smaller --batch-size, and look for a message from the kernel (dmesg) about the process.",
                    code="E502",
                ) from err
            done += len(results)
            yield from results
