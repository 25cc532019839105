"""Research tables and plots: shapes, columns, dates, speakers, progress; figures with labelled axes."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from matplotlib.figure import Figure

from toolkit.analysis import (
    annotation_progress,
    claim_table,
    claims_by_speaker,
    entities_by_date,
    entity_table,
    label_distribution,
    plot_annotation_progress,
    plot_claims_over_time,
    plot_claims_per_speaker,
    plot_entities_over_time,
    plot_label_distribution,
)
from toolkit.errors import ToolkitWarning
from toolkit.types import Claim, Correction, Document, Entity, Extraction, Span

T1 = "Joe Biden said the talks in Paris went well, the White House's spokesperson said."
T2 = "President Biden's aides reportedly met NATO officials in Brussels."
T3 = "Emmanuel Macron said France would act."


def _items() -> list:
    d1 = Document("d1", T1, date="2024-01-01", source="wire")
    d2 = Document("d2", T2, date="2024-01-09", source="paper")
    e1 = Extraction(
        d1,
        entities=(Entity(0, 9, "PERSON"), Entity(28, 33, "GPE"), Entity(49, 60, "ORG")),
        claims=(Claim(15, 43, kind="indirect", speaker=Span(0, 9), cue=Span(10, 14)),),
    )
    e2 = Extraction(
        d2,
        entities=(Entity(10, 15, "PERSON"), Entity(39, 43, "ORG"), Entity(57, 65, "GPE")),
        claims=(Claim(18, 65, kind="indirect", hedged=True, speaker=Span(0, 17)),),
    )
    c3 = Correction.create(
        Document("d3", T3), annotator="ann", meta={"date": "2024-02-15", "source": "tv"},
        entities=[Entity(0, 15, "PERSON"), Entity(21, 27, "GPE")],
        claims=[Claim(21, 38, kind="indirect", speaker=Span(0, 15), cue=Span(16, 20))],
    )
    return [e1, e2, c3]


def test_entity_table_has_one_row_per_entity_with_dates_and_sources():
    df = entity_table(_items())
    assert list(df.columns) == ["doc_id", "date", "source", "annotator", "label", "start", "end", "text", "origin"]
    assert len(df) == 8
    assert pd.api.types.is_datetime64_any_dtype(df["date"])
    row = df[df["doc_id"] == "d3"].iloc[0]
    assert (row["text"], row["source"], row["annotator"], row["date"]) == ("Emmanuel Macron", "tv", "ann", pd.Timestamp("2024-02-15"))
    assert df[df["doc_id"] == "d1"]["text"].tolist() == ["Joe Biden", "Paris", "White House"]


def test_dates_mapping_and_docs_take_precedence():
    df = entity_table(_items(), dates={"d3": "2024-03-01"}, docs=[Document("d1", T1, date="2023-12-31", source="web")])
    assert df[df["doc_id"] == "d3"]["date"].iloc[0] == pd.Timestamp("2024-03-01")
    assert df[df["doc_id"] == "d1"]["date"].iloc[0] == pd.Timestamp("2023-12-31")
    assert df[df["doc_id"] == "d1"]["source"].iloc[0] == "web"


def test_claim_table_columns_and_speaker_texts():
    df = claim_table(_items())
    assert list(df.columns) == [
        "doc_id", "date", "source", "annotator", "kind", "hedged", "start", "end", "text", "speaker", "cue", "origin",
    ]
    assert df["speaker"].tolist() == ["Joe Biden", "President Biden's", "Emmanuel Macron"]
    assert df["cue"].fillna("-").tolist() == ["said", "-", "said"]
    assert df["hedged"].tolist() == [False, True, False]


def test_rejected_corrections_are_left_out_by_default():
    rejected = Correction.create(Document("d9", T3), annotator="ann", answer="reject", entities=[Entity(0, 15, "PERSON")])
    assert entity_table([rejected]).empty
    assert len(entity_table([rejected], answers=("accept", "reject"))) == 1


def test_entities_by_week_fill_empty_weeks_with_zero():
    table = entities_by_date(_items(), "W")
    assert table.index.name == "date"
    # weeks starting Mon 2024-01-01 .. Mon 2024-02-12: seven weeks
    assert list(table.index) == list(pd.date_range("2024-01-01", "2024-02-12", freq="7D"))
    assert table.loc["2024-01-01", "PERSON"] == 1 and table.loc["2024-01-08", "ORG"] == 1
    assert table.loc["2024-01-22"].sum() == 0
    assert int(table.to_numpy().sum()) == 8


def test_entities_by_month_for_one_label():
    table = entities_by_date(_items(), "M", label="GPE")
    assert list(table.columns) == ["GPE"]
    assert table["GPE"].tolist() == [2, 1]
    assert list(table.index) == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01")]


def test_undated_entities_are_left_out_with_a_warning():
    items = [Extraction(Document("u", T3), entities=(Entity(0, 15, "PERSON"),))] + _items()
    with pytest.warns(ToolkitWarning, match="1 entities in 1 documents have no date"):
        table = entities_by_date(items, "M")
    assert int(table.to_numpy().sum()) == 8


def test_bad_freq_is_refused():
    with pytest.raises(ValueError, match="freq must be 'D'"):
        entities_by_date(_items(), "Y")


def test_claims_by_speaker_normalises_names_and_applies_aliases():
    table = claims_by_speaker(_items(), "M")
    assert sorted(table.columns) == ["Emmanuel Macron", "Joe Biden", "President Biden"]
    merged = claims_by_speaker(_items(), "M", aliases={"president biden": "Joe Biden"})
    assert list(merged.columns) == ["Joe Biden", "Emmanuel Macron"]
    assert merged["Joe Biden"].tolist() == [2, 0] and merged["Emmanuel Macron"].tolist() == [0, 1]
    assert list(claims_by_speaker(_items(), "M", aliases={"President Biden": "Joe Biden"}, top=1).columns) == ["Joe Biden"]


def test_label_distribution_counts_shares_and_documents():
    dist = label_distribution(_items())
    assert list(dist.columns) == ["label", "count", "share", "docs"]
    assert dist["label"].tolist() == ["GPE", "PERSON", "ORG"]
    assert dist["count"].tolist() == [3, 3, 2] and dist["docs"].tolist() == [3, 3, 2]
    assert dist["share"].sum() == pytest.approx(1.0)
    assert label_distribution([]).empty


def _progress_records() -> list[Correction]:
    def r(who: str, doc: str, ts: str, answer: str = "accept") -> Correction:
        return Correction.create(Document(doc, "text " + doc), annotator=who, answer=answer, timestamp=ts)

    return [
        r("ann", "d1", "2024-01-01T10:00:00+00:00"),
        r("ann", "d2", "2024-01-01T10:10:00+00:00", "reject"),
        r("ann", "d3", "2024-01-01T10:20:00+00:00"),
        r("ann", "d4", "2024-01-02T09:00:00+00:00", "ignore"),  # next day: the night is not active time
        r("bob", "d1", "2024-01-01T11:00:00+00:00"),
    ]


def test_annotation_progress_counts_answers_and_active_rate():
    df = annotation_progress(_progress_records())
    assert list(df.columns) == [
        "annotator", "records", "docs", "accept", "reject", "ignore", "first", "last", "active_hours", "docs_per_hour",
    ]
    ann = df.set_index("annotator").loc["ann"]
    assert (ann["records"], ann["docs"], ann["accept"], ann["reject"], ann["ignore"]) == (4, 4, 2, 1, 1)
    assert ann["first"] == pd.Timestamp("2024-01-01T10:00:00Z") and ann["last"] == pd.Timestamp("2024-01-02T09:00:00Z")
    assert ann["active_hours"] == pytest.approx(1 / 3)
    assert ann["docs_per_hour"] == pytest.approx(12.0)
    assert pd.isna(df.set_index("annotator").loc["bob", "docs_per_hour"])  # a single record has no duration
    assert annotation_progress([]).empty


# --- plots ----------------------------------------------------------------------------

PLOTS = [
    (plot_claims_over_time, {"freq": "W"}),
    (plot_claims_per_speaker, {"top": 5}),
    (plot_label_distribution, {}),
    (plot_entities_over_time, {"freq": "M"}),
]


@pytest.mark.parametrize("plot, kwargs", PLOTS, ids=lambda p: getattr(p, "__name__", ""))
def test_plots_return_figures_with_titled_labelled_axes(plot, kwargs, tmp_path):
    fig = plot(_items(), **kwargs)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert ax.has_data()
    fig.savefig(tmp_path / "out.png")
    assert (tmp_path / "out.png").stat().st_size > 1000


def test_annotation_progress_plot(tmp_path):
    fig = plot_annotation_progress(_progress_records())
    (ax,) = fig.axes
    assert ax.get_xlabel() == "time (UTC)" and "cumulative" in ax.get_ylabel()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["ann (4 docs, 12/h)", "bob (1 docs)"]
    fig.savefig(tmp_path / "progress.png")


@pytest.mark.parametrize("plot", [p for p, _ in PLOTS] + [plot_annotation_progress], ids=lambda p: p.__name__)
def test_plots_of_nothing_say_so(plot):
    fig = plot([])
    (ax,) = fig.axes
    assert any(t.get_text().startswith("no ") for t in ax.texts)


def test_plots_do_not_touch_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    plot_label_distribution(_items())
    assert plt.get_fignums() == before
