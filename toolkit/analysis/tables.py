"""Research tables as pandas DataFrames: entities and claims, over time, by speaker, and progress.

``items`` are Extractions (e.g. ``Extractor().pipe(docs)``) or Corrections (e.g.
``Corrections(dir).latest()``), or a mix. Every record given is tabulated, so pass one
record per document; Corrections whose answer is not in ``answers`` (default ``accept``)
are left out.

Dates come from, in order: the ``dates={doc_id: "YYYY-MM-DD"}`` mapping, the ``docs``
given, the Extraction's ``doc.date`` or the Correction's ``meta["date"]``. Sources alike
(``doc.source`` or ``meta["source"]``). The ``date`` column is a pandas datetime (NaT
when unknown).
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Literal, Mapping, Sequence

import pandas as pd

from ..errors import warn
from ..types import Correction, Document, Extraction
from .metrics import normalise_speaker

Item = Extraction | Correction
Freq = Literal["D", "W", "M"]
ENTITY_COLUMNS = ["doc_id", "date", "source", "annotator", "label", "start", "end", "text", "origin"]
CLAIM_COLUMNS = [
    "doc_id", "date", "source", "annotator", "kind", "hedged", "start", "end", "text", "speaker", "cue", "origin",
]


def _records(
    items: Iterable[Item],
    *,
    docs: Iterable[Document] | None,
    dates: Mapping[str, str] | None,
    answers: Sequence[str],
) -> Iterable[tuple[dict[str, Any], str, tuple, tuple]]:
    known = {d.id: d for d in docs or ()}
    for item in items:
        if isinstance(item, Correction):
            if item.answer not in answers:
                continue
            doc_id, text, annotator = item.doc_id, item.text, item.annotator
            date, source = item.meta.get("date"), item.meta.get("source")
        elif isinstance(item, Extraction):
            doc_id, text, annotator = item.doc.id, item.doc.text, None
            date, source = item.doc.date, item.doc.source
        else:
            raise TypeError(f"items must be Extractions or Corrections, not {type(item).__name__}.")
        if doc_id in known:
            date, source = known[doc_id].date or date, known[doc_id].source or source
        if dates is not None and doc_id in dates:
            date = dates[doc_id]
        base = {"doc_id": doc_id, "date": date, "source": source, "annotator": annotator}
        yield base, text, item.entities, item.claims


def _to_datetime(values: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(values.astype("string").str.slice(0, 10), errors="coerce", format="%Y-%m-%d")
    return parsed.astype("datetime64[ns]")


def entity_table(
    items: Iterable[Item],
    *,
    docs: Iterable[Document] | None = None,
    dates: Mapping[str, str] | None = None,
    answers: Sequence[str] = ("accept",),
) -> pd.DataFrame:
    """One row per entity: doc_id, date, source, annotator, label, start, end, text, origin."""
    rows = [
        {**base, "label": e.label, "start": e.start, "end": e.end, "text": e.text(text), "origin": e.origin}
        for base, text, entities, _ in _records(items, docs=docs, dates=dates, answers=answers)
        for e in entities
    ]
    df = pd.DataFrame(rows, columns=ENTITY_COLUMNS)
    df["date"] = _to_datetime(df["date"])
    return df


def claim_table(
    items: Iterable[Item],
    *,
    docs: Iterable[Document] | None = None,
    dates: Mapping[str, str] | None = None,
    answers: Sequence[str] = ("accept",),
) -> pd.DataFrame:
    """One row per claim: doc_id, date, source, annotator, kind, hedged, start, end, text,
    speaker (text; missing when unattributed), cue (text or missing), origin."""
    rows = [
        {
            **base, "kind": c.kind, "hedged": c.hedged, "start": c.start, "end": c.end, "text": c.text(text),
            "speaker": c.speaker.text(text) if c.speaker else None,
            "cue": c.cue.text(text) if c.cue else None,
            "origin": c.origin,
        }
        for base, text, _, claims in _records(items, docs=docs, dates=dates, answers=answers)
        for c in claims
    ]
    df = pd.DataFrame(rows, columns=CLAIM_COLUMNS)
    df["date"] = _to_datetime(df["date"])
    df["hedged"] = df["hedged"].astype(bool)
    return df


def _by_period(df: pd.DataFrame, column: str, freq: Freq, what: str) -> pd.DataFrame:
    if freq not in ("D", "W", "M"):
        raise ValueError(f"freq must be 'D' (day), 'W' (week) or 'M' (month), not {freq!r}.")
    undated = df["date"].isna()
    if undated.any():
        n_docs = df.loc[undated, "doc_id"].nunique()
        warn(f"{int(undated.sum())} {what} in {n_docs} documents have no date and are left out; pass dates={{doc_id: date}}.")
        df = df[~undated]
    if df.empty:
        return pd.DataFrame(index=pd.DatetimeIndex([], name="date"), dtype="int64")
    periods = df["date"].dt.to_period(freq)
    counts = df.groupby([periods.rename("period"), df[column]]).size().unstack(fill_value=0)
    full = pd.period_range(periods.min(), periods.max(), freq=freq)
    counts = counts.reindex(full, fill_value=0)
    counts.index = pd.DatetimeIndex(full.start_time, name="date")
    counts.columns.name = column
    return counts.astype("int64")


def entities_by_date(
    items: Iterable[Item],
    freq: Freq = "D",
    label: str | Sequence[str] | None = None,
    *,
    docs: Iterable[Document] | None = None,
    dates: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Entity counts per period (rows, the period's first day; empty periods are 0) and label (columns).

    Args:
        freq: ``D`` day, ``W`` week (Monday to Sunday) or ``M`` month.
        label: keep only this label (or these labels).
    """
    df = entity_table(items, docs=docs, dates=dates)
    if label is not None:
        df = df[df["label"].isin([label] if isinstance(label, str) else list(label))]
    return _by_period(df, "label", freq, "entities")


def speaker_names(names: Iterable[str | None], aliases: Mapping[str, str] | None = None) -> list[str | None]:
    """Normalised speaker names: whitespace, possessive and edge punctuation dropped, aliases
    applied (keys compared case-insensitively), and each name spelled as it is most often."""
    alias = {normalise_speaker(k).casefold(): v for k, v in (aliases or {}).items()}
    cleaned = []
    for name in names:
        if name is None or not normalise_speaker(name):
            cleaned.append(None)
            continue
        name = normalise_speaker(name)
        cleaned.append(alias.get(name.casefold(), name))
    spelling: dict[str, Counter[str]] = {}
    for name in cleaned:
        if name is not None:
            spelling.setdefault(name.casefold(), Counter())[name] += 1
    return [None if n is None else spelling[n.casefold()].most_common(1)[0][0] for n in cleaned]


def claims_by_speaker(
    items: Iterable[Item],
    freq: Freq = "M",
    *,
    aliases: Mapping[str, str] | None = None,
    top: int | None = None,
    docs: Iterable[Document] | None = None,
    dates: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Claim counts per period (rows) and speaker (columns, most frequent first).

    Args:
        freq: ``D``, ``W`` or ``M``.
        aliases: ``{"President Biden": "Joe Biden", ...}`` merging names of one speaker.
        top: keep only the ``top`` most frequent speakers.

    Unattributed claims are left out (count them with :func:`claim_table`).
    """
    df = claim_table(items, docs=docs, dates=dates)
    df["speaker"] = speaker_names(df["speaker"].tolist(), aliases)
    df = df[df["speaker"].notna()]
    out = _by_period(df, "speaker", freq, "attributed claims")
    order = out.sum().sort_values(ascending=False, kind="stable").index
    out = out[order[:top] if top is not None else order]
    return out


def label_distribution(items: Iterable[Item], *, answers: Sequence[str] = ("accept",)) -> pd.DataFrame:
    """Per entity label: count, share of all entities, and the number of documents it occurs in."""
    df = entity_table(items, answers=answers)
    out = df.groupby("label").agg(count=("label", "size"), docs=("doc_id", "nunique")).reset_index()
    out["share"] = out["count"] / out["count"].sum() if len(out) else pd.Series(dtype="float64")
    out = out.sort_values(["count", "label"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return out[["label", "count", "share", "docs"]]


def annotation_progress(records: Iterable[Correction], *, idle_minutes: float = 30.0) -> pd.DataFrame:
    """Per annotator: records, docs, accept/reject/ignore counts, first and last timestamp,
    active hours and docs per active hour.

    Active time is the sum of the gaps between consecutive records of an annotator that
    are at most ``idle_minutes`` long, so breaks and nights do not count; docs per hour
    is distinct documents / active hours (NaN with less than a minute of active time).
    """
    rows = [
        {"annotator": r.annotator, "doc_id": r.doc_id, "answer": r.answer, "timestamp": r.timestamp} for r in records
    ]
    columns = ["annotator", "records", "docs", "accept", "reject", "ignore", "first", "last", "active_hours", "docs_per_hour"]
    if not rows:
        return pd.DataFrame(columns=columns)
    df = pd.DataFrame(rows)
    df["timestamp"] = pd.to_datetime(df["timestamp"], utc=True, format="ISO8601")
    out = []
    for name, group in df.sort_values("timestamp").groupby("annotator", sort=True):
        gaps = group["timestamp"].diff().dropna()
        active = gaps[gaps <= pd.Timedelta(minutes=idle_minutes)].sum() / pd.Timedelta(hours=1)
        answers = group["answer"].value_counts()
        n_docs = group["doc_id"].nunique()
        out.append({
            "annotator": name, "records": len(group), "docs": n_docs,
            **{a: int(answers.get(a, 0)) for a in ("accept", "reject", "ignore")},
            "first": group["timestamp"].min(), "last": group["timestamp"].max(),
            "active_hours": float(active),
            "docs_per_hour": n_docs / active if active >= 1 / 60 else float("nan"),
        })
    return pd.DataFrame(out, columns=columns)
