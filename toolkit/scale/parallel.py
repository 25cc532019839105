"""Extraction on all cores of one machine, by whole chunks of documents.

spaCy's ``nlp.pipe(n_process=...)`` pickles every document and pays start-up per call,
which makes it slower than one process for rule pipelines on few cores. Here each
worker process builds its Extractor once (in the pool initializer) and receives chunks
of a few hundred documents; results come back in input order, and at most
``2 * workers`` chunks are in flight, so memory stays bounded on any corpus size.
"""
from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..types import Document, Extraction

_WORKER: Any = None


def _init_worker(model: str | None, annotations: str | None, batch_size: int) -> None:
    global _WORKER
    import toolkit  # noqa: F401  (registers the annotations loader and factories)
    from ..extract import Extractor

    _WORKER = Extractor(model, annotations=annotations, batch_size=batch_size)


def _run_chunk(docs: list[Document]) -> list[Extraction]:
    return list(_WORKER.pipe(docs))


def extract_parallel(
    docs: Iterable[Document],
    *,
    workers: int,
    model: str | Path | None = None,
    annotations: str | Path | None = None,
    chunk_size: int = 256,
    batch_size: int = 64,
) -> Iterator[Extraction]:
    """Like ``Extractor(model, annotations=...).pipe(docs)``, on ``workers`` processes.

    Output order and content are identical to one process.
    """
    if workers <= 1:
        from ..extract import Extractor

        yield from Extractor(model, annotations=annotations, batch_size=batch_size).pipe(docs)
        return
    context = multiprocessing.get_context("spawn")
    stream = iter(docs)
    args = (str(model) if model is not None else None, str(annotations) if annotations is not None else None, batch_size)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker, initargs=args) as pool:
        pending: deque[Future] = deque()
        while True:
            while len(pending) < 2 * workers:
                chunk = list(islice(stream, chunk_size))
                if not chunk:
                    break
                pending.append(pool.submit(_run_chunk, chunk))
            if not pending:
                return
            yield from pending.popleft().result()
