"""One readable colour per label: a light fill for the text, a darker tone for borders and tags.

Fills are light enough for black text (contrast ratio above 12:1 on all of them); each tone,
the colour of the label tag written on its fill, has a contrast of at least 4.5:1 on it (WCAG AA
for small text); the tones are distinct in hue so adjacent entities of different labels stay
apart, and none is purple, the colour of the speaker's box.
"""
from __future__ import annotations

import re
from typing import Mapping, Sequence

#: label -> (fill, tone) for the default labels.
DEFAULT_COLORS: Mapping[str, tuple[str, str]] = {
    "PERSON": ("#ffe3b3", "#92400e"),
    "ORG": ("#cfe6ff", "#1d4ed8"),
    "GPE": ("#c9f1d4", "#166534"),
    "LOC": ("#eee3d6", "#7c4a1e"),
    "NORP": ("#ffd6e5", "#be185d"),
    "DATE": ("#e3e8ef", "#475569"),
    "EVENT": ("#fff1a8", "#854d0e"),
}

#: used in turn for labels without a default colour.
SPARE_COLORS: Sequence[tuple[str, str]] = (
    ("#c8f0ef", "#115e59"),
    ("#ffd9cc", "#9a3412"),
    ("#e9f5c4", "#3f6212"),
    ("#e0f2fe", "#075985"),
    ("#d9e0ff", "#4338ca"),
    ("#f5e1c8", "#92400e"),
)

def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""

    def luminance(color: str) -> float:
        def channel(c: float) -> float:
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b_ = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b_)

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


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
