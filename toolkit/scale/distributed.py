"""Extraction on a Dask cluster with the same Extractor as on one machine.

Each worker process builds the pipeline (with its trained model and annotations)
once, on first use, and keeps it in a module-level cache; partitions of documents
are then extracted with it. Results are the same records as ``toolkit extract``
writes, in input order.

    >>> import dask.bag as db
    >>> bag = db.from_sequence(docs, partition_size=500)
    >>> results = toolkit.extract_dask(bag, model="models/news")
    >>> toolkit.write_dask_results(results, "out/", format="parquet")
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..extract.pipeline import AUTO
from ..types import Document

_CACHE: dict[tuple, Any] = {}


def _extractor(model: str | None, annotations: str | None, labels: str | tuple[str, ...] | None = None, on_error: str = "raise") -> Any:
    key = (model, annotations, labels, on_error)
    if key not in _CACHE:
        from ..api import Extractor

        _CACHE[key] = Extractor(model, annotations=annotations, labels=labels, on_error=on_error)
    return _CACHE[key]


def _labels(labels: str | Iterable[str] | None) -> str | tuple[str, ...] | None:
    """``labels=`` in a form that pickles and can key the per-worker cache."""
    return labels if labels is None or isinstance(labels, str) else tuple(labels)


def loaded_extractors() -> int:
    """How many pipelines this process has built (for checking once-per-worker loading)."""
    return len(_CACHE)


def _as_document(item: Any, text: str, id: str, date: str) -> Document:
    if isinstance(item, Document):
        return item
    if isinstance(item, dict):
        from ..types import content_id

        body = item[text]
        return Document(
            id=str(item.get(id) or content_id(body)),
            text=body,
            date=item.get(date),
            source=item.get("source"),
            meta=dict(item.get("meta") or {}),
        )
    raise TypeError(f"expected Documents or dicts in the Dask collection, got {type(item).__name__}")


def _extract_partition(
    items: Iterable[Any], model: str | None, annotations: str | None, text: str, id: str, date: str,
    labels: str | tuple[str, ...] | None = None, on_error: str = "raise",
) -> list[dict]:
    extractor = _extractor(model, annotations, labels, on_error)
    docs = [_as_document(item, text, id, date) for item in items]
    return [extraction.to_dict() for extraction in extractor.pipe(docs)]


def extract_dask(
    data: Any,
    *,
    model: str | Path | None = AUTO,
    annotations: str | Path | None = None,
    text: str = "text",
    id: str = "id",
    date: str = "date",
    partition_size: int = 500,
    labels: str | Iterable[str] | None = None,
    on_error: str = "raise",
):
    """Extract from a Dask Bag (of Documents or dicts), a Dask DataFrame, or any iterable
    (which is read into memory first: for a stream of documents use :func:`stream_dask`).
    ``labels`` and ``on_error`` (how bad lines of the ``annotations`` store are read) are
    :class:`toolkit.Extractor`'s; each worker builds its extractor with them.

    Returns a Dask Bag of extraction records (dicts, as written by ``toolkit extract``).
    Nothing runs until the bag is computed or written.
    """
    import dask.bag as db
    import dask.dataframe as dd

    if isinstance(data, dd.DataFrame):
        bag = data.to_bag(format="dict")
    elif isinstance(data, db.Bag):
        bag = data
    else:
        bag = db.from_sequence(list(data), partition_size=partition_size)
    args = (str(model) if model is not None else None, str(annotations) if annotations is not None else None, text, id, date, _labels(labels), on_error)
    return bag.map_partitions(_extract_partition, *args)


def iter_results(bag, *, client=None, window: int = 4) -> Iterator[dict]:
    """Yield the records of ``bag`` partition by partition, in order, with at most ``window`` partitions in flight."""
    import dask

    parts = bag.to_delayed()
    if client is None:
        for part in parts:
            yield from dask.compute(part)[0]
        return
    futures = [client.compute(part) for part in parts[:window]]
    next_index = len(futures)
    while futures:
        head = futures.pop(0)
        if next_index < len(parts):
            futures.append(client.compute(parts[next_index]))
            next_index += 1
        yield from head.result()


def stream_dask(
    docs: Iterable[Document],
    client,
    *,
    model: str | Path | None = AUTO,
    annotations: str | Path | None = None,
    partition_size: int = 500,
    window: int | None = None,
    labels: str | Iterable[str] | None = None,
    on_error: str = "raise",
) -> Iterator[dict]:
    """Extract a stream of Documents on the cluster behind ``client``, in order, with bounded memory.

    Unlike :func:`extract_dask` on an iterable, the stream is never materialised: chunks
    of ``partition_size`` documents are submitted as they are read, with at most
    ``window`` chunks (default: two per worker) in flight. ``labels`` and ``on_error`` are
    :class:`toolkit.Extractor`'s, as in :func:`extract_dask`.
    """
    from itertools import islice

    if window is None:
        window = max(2, 2 * len(client.scheduler_info().get("workers", {})))
    args = (str(model) if model is not None else None, str(annotations) if annotations is not None else None, "text", "id", "date", _labels(labels), on_error)
    stream = iter(docs)
    pending: list = []
    while True:
        while len(pending) < window:
            chunk = list(islice(stream, partition_size))
            if not chunk:
                break
            pending.append(client.submit(_extract_partition, chunk, *args, pure=False))
        if not pending:
            return
        yield from pending.pop(0).result()


def write_dask_results(bag, path: str | Path, *, format: str = "jsonl") -> Path:
    """Write results as partitioned files under ``path``: ``part-*.jsonl`` or Parquet.

    In Parquet, ``entities`` and ``claims`` are JSON-encoded strings (one row per document).
    """
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    if format == "jsonl":
        bag.map(lambda r: json.dumps(r, ensure_ascii=False)).to_textfiles(str(path / "part-*.jsonl"), encoding="utf-8")
    elif format == "parquet":
        import pandas as pd

        rows = bag.map(_flat_row)
        # every column a (nullable) string: an ``object`` meta leaves Arrow a placeholder to infer a type from
        meta = pd.DataFrame({column: pd.Series(dtype="string") for column in FLAT_COLUMNS})
        rows.to_dataframe(meta=meta).to_parquet(str(path), write_index=False)
    else:
        raise ValueError(f"unknown format {format!r}: use 'jsonl' or 'parquet'")
    return path


FLAT_COLUMNS = ("id", "date", "text", "entities", "claims", "extractor_name", "extractor_version")


def _flat_row(record: dict) -> dict:
    return {
        "id": record["id"],
        "date": record.get("date"),
        "text": record["text"],
        "entities": json.dumps(record["entities"], ensure_ascii=False),
        "claims": json.dumps(record["claims"], ensure_ascii=False),
        "extractor_name": record["extractor"]["name"],
        "extractor_version": record["extractor"]["version"],
    }
