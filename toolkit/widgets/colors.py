"""One readable colour per label: a light fill for the text, a darker tone for borders and tags.

Fills are light enough for black text (contrast ratio above 12:1 on all of them); the
tones are distinct in hue so adjacent entities of different labels stay apart.
"""
from __future__ import annotations

import re
from typing import Mapping, Sequence

#: label -> (fill, tone) for the default labels.
DEFAULT_COLORS: Mapping[str, tuple[str, str]] = {
    "PERSON": ("#ffe3b3", "#b45309"),
    "ORG": ("#cfe6ff", "#1d4ed8"),
    "GPE": ("#c9f1d4", "#15803d"),
    "LOC": ("#e4dcff", "#6d28d9"),
    "NORP": ("#ffd6e5", "#be185d"),
    "DATE": ("#e3e8ef", "#475569"),
    "EVENT": ("#fff1a8", "#a16207"),
}

#: used in turn for labels without a default colour.
SPARE_COLORS: Sequence[tuple[str, str]] = (
    ("#c8f0ef", "#0f766e"),
    ("#ffd9cc", "#c2410c"),
    ("#e9f5c4", "#4d7c0f"),
    ("#f3d9f7", "#a21caf"),
    ("#d9e0ff", "#4338ca"),
    ("#f5e1c8", "#92400e"),
)

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def label_colors(labels: Sequence[str], overrides: Mapping[str, tuple[str, str]] | None = None) -> dict[str, tuple[str, str]]:
    """A (fill, tone) pair for each label; ``overrides`` must use ``#rrggbb`` colours."""
    out: dict[str, tuple[str, str]] = {}
    spare = 0
    for label in labels:
        if overrides and label in overrides:
            pair = tuple(overrides[label])
            if len(pair) != 2 or not all(_HEX.match(c) for c in pair):
                raise ValueError(f"colour for {label!r} must be two '#rrggbb' strings (fill, tone), got {pair!r}")
            out[label] = pair  # type: ignore[assignment]
        elif label in DEFAULT_COLORS:
            out[label] = DEFAULT_COLORS[label]
        else:
            out[label] = SPARE_COLORS[spare % len(SPARE_COLORS)]
            spare += 1
    return out


def unknown_color() -> tuple[str, str]:
    """For an entity whose label is not in the panel's label set."""
    return ("#eeeeee", "#525252")
