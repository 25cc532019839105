"""Plots of the research tables. Each function returns a :class:`matplotlib.figure.Figure`.

Figures are built without ``pyplot`` (no global state, nothing shown, safe under the Agg
backend and in scripts); in Jupyter a returned figure displays itself (run
``%matplotlib inline`` once if it shows as text). Save with ``fig.savefig("out.png")``.
Each function takes the same ``items`` as :mod:`toolkit.analysis.tables`.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

import pandas as pd
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, MonthLocator
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..types import Correction
from .tables import (
    Freq,
    Item,
    _by_period,
    annotation_progress,
    claim_table,
    entities_by_date,
    label_distribution,
    speaker_names,
)

_FREQ_NAME = {"D": "day", "W": "week", "M": "month"}


def _figure(size: tuple[float, float] = (8.0, 4.0)) -> tuple[Figure, Any]:
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def _empty(ax: Any, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="0.4")
    ax.set_xticks([])
    ax.set_yticks([])


def _time_axis(ax: Any, freq: str = "D") -> None:
    locator = MonthLocator() if freq == "M" else AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)


def _lines(ax: Any, table: pd.DataFrame, freq: Freq, what: str, legend_title: str) -> None:
    for column in table.columns:
        ax.plot(table.index, table[column], marker="o", markersize=3, linewidth=1.5, label=str(column))
    ax.set_xlabel(f"date (per {_FREQ_NAME[freq]})")
    ax.set_ylabel(f"{what} per {_FREQ_NAME[freq]}")
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _time_axis(ax, freq)
    if len(table.columns):
        ax.legend(title=legend_title, frameon=False, fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))


def plot_claims_over_time(
    items: Iterable[Item], freq: Freq = "W", *, by_kind: bool = True, dates: Mapping[str, str] | None = None
) -> Figure:
    """Claims per period; one line per kind (direct, indirect) and the total, or the total only."""
    df = claim_table(items, dates=dates)
    df["all claims"] = "all claims"
    fig, ax = _figure()
    ax.set_title("Claims over time")
    table = _by_period(df, "kind", freq, "claims") if by_kind else _by_period(df, "all claims", freq, "claims")
    if table.empty:
        _empty(ax, "no dated claims")
        return fig
    if by_kind and len(table.columns) > 1:
        table["total"] = table.sum(axis=1)
    _lines(ax, table, freq, "claims", "kind")
    return fig


def plot_entities_over_time(
    items: Iterable[Item],
    freq: Freq = "W",
    *,
    labels: Sequence[str] | None = None,
    dates: Mapping[str, str] | None = None,
) -> Figure:
    """Entity mentions per period, one line per label (``labels`` to choose them)."""
    table = entities_by_date(items, freq, labels, dates=dates)
    fig, ax = _figure()
    ax.set_title("Entity mentions over time")
    if table.empty:
        _empty(ax, "no dated entities")
        return fig
    _lines(ax, table, freq, "mentions", "label")
    return fig


def plot_claims_per_speaker(
    items: Iterable[Item], top: int = 10, *, aliases: Mapping[str, str] | None = None, by_kind: bool = True
) -> Figure:
    """Horizontal bars of the ``top`` speakers by number of claims, split by kind."""
    df = claim_table(items)
    df["speaker"] = speaker_names(df["speaker"].tolist(), aliases)
    df = df[df["speaker"].notna()]
    counts = df.groupby(["speaker", "kind"]).size().unstack(fill_value=0) if len(df) else pd.DataFrame()
    fig, ax = _figure((8.0, max(2.5, 0.4 * min(top, len(counts)) + 1.2)))
    ax.set_title(f"Claims per speaker (top {top})")
    if counts.empty:
        _empty(ax, "no attributed claims")
        return fig
    counts = counts.loc[counts.sum(axis=1).sort_values(ascending=False, kind="stable").index[:top]].iloc[::-1]
    if not by_kind:
        counts = counts.sum(axis=1).to_frame("claims")
    left = pd.Series(0, index=counts.index)
    for column in counts.columns:
        ax.barh(counts.index, counts[column], left=left, label=str(column))
        left = left + counts[column]
    ax.set_xlabel("claims")
    ax.set_ylabel("speaker")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", alpha=0.3)
    if by_kind:
        ax.legend(title="kind", frameon=False, fontsize="small")
    return fig


def plot_label_distribution(items: Iterable[Item]) -> Figure:
    """Bars of entity mentions per label, annotated with counts and the documents they occur in."""
    dist = label_distribution(items)
    fig, ax = _figure((7.0, 4.0))
    ax.set_title("Entity labels")
    if dist.empty:
        _empty(ax, "no entities")
        return fig
    bars = ax.bar(dist["label"], dist["count"], color="tab:blue")
    ax.bar_label(bars, labels=[f"{c}\n({d} docs)" for c, d in zip(dist["count"], dist["docs"])], fontsize="small")
    ax.set_xlabel("label")
    ax.set_ylabel("mentions")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.margins(y=0.2)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def plot_annotation_progress(records: Iterable[Correction]) -> Figure:
    """Cumulative distinct documents annotated over time, one step line per annotator."""
    records = list(records)
    fig, ax = _figure()
    ax.set_title("Annotation progress")
    if not records:
        _empty(ax, "no records")
        return fig
    df = pd.DataFrame([{"annotator": r.annotator, "doc_id": r.doc_id, "timestamp": r.timestamp} for r in records])
    df["timestamp"] = pd.to_datetime(df["timestamp"], utc=True, format="ISO8601").dt.tz_localize(None)
    summary = annotation_progress(records).set_index("annotator")
    for name, group in df.sort_values("timestamp").groupby("annotator", sort=True):
        first = group.drop_duplicates("doc_id")
        rate = summary.loc[name, "docs_per_hour"]
        label = f"{name} ({len(first)} docs" + (f", {rate:.0f}/h)" if pd.notna(rate) else ")")
        ax.step(first["timestamp"], range(1, len(first) + 1), where="post", label=label)
    ax.set_xlabel("time (UTC)")
    ax.set_ylabel("documents annotated (cumulative)")
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _time_axis(ax)
    ax.legend(title="annotator", frameon=False, fontsize="small")
    return fig
