"""Optional removal of whole boilerplate lines from news text (off by default).

A line is boilerplate when, without its surrounding whitespace, one of the patterns
matches it completely (``re.fullmatch``): ``Also Read | ...`` links, ``(With inputs from
agencies)`` credits, the wionews.com write-for-us footer, and any patterns the caller adds.
Blank lines left behind are collapsed so that paragraphs stay separated by one blank
line; the result is ``rstrip()``-ed like every loaded text.
"""
from __future__ import annotations

import re
from typing import Iterable, Pattern

from ..errors import InputError

E_PATTERN = "E117"

DEFAULT_PATTERNS: tuple[str, ...] = (
    r"(?i:also\s+read)\s*[|:].*",
    r"\((?i:with\s+inputs?\s+from)\s[^()]*\)\.?",
    r"You can now write for wionews\.com and be a part of the community\..*",
)


class Boilerplate:
    """A compiled set of whole-line boilerplate patterns.

    Args:
        patterns: extra regular expressions (strings or compiled), each matched against a
            whole stripped line.
        defaults: include ``DEFAULT_PATTERNS`` (default True).

    Raises:
        InputError: a pattern is not a valid regular expression.
    """

    def __init__(self, patterns: Iterable[str | Pattern[str]] = (), *, defaults: bool = True) -> None:
        sources: list[str | Pattern[str]] = [*DEFAULT_PATTERNS] if defaults else []
        sources.extend(patterns)
        self.patterns: tuple[Pattern[str], ...] = tuple(_compile(p) for p in sources)

    def is_boilerplate(self, line: str) -> bool:
        """True when ``line`` (stripped) is matched completely by one of the patterns."""
        stripped = line.strip()
        return bool(stripped) and any(p.fullmatch(stripped) for p in self.patterns)

    def strip(self, text: str) -> tuple[str, list[str]]:
        """``text`` without its boilerplate lines, and the removed lines (stripped)."""
        removed: list[str] = []
        kept: list[str] = []
        after_removal = False
        for line in text.split("\n"):
            if self.is_boilerplate(line):
                removed.append(line.strip())
                after_removal = True
                continue
            if not line.strip():
                if after_removal and (not kept or not kept[-1].strip()):
                    continue  # a blank line left behind by a removal
            else:
                after_removal = False
            kept.append(line)
        if not removed:
            return text, removed
        return "\n".join(kept).rstrip(), removed


def strip_boilerplate(text: str, *, patterns: Iterable[str | Pattern[str]] = ()) -> tuple[str, list[str]]:
    """Remove the default (and extra) boilerplate lines; returns ``(text, removed_lines)``."""
    return Boilerplate(patterns).strip(text)


def _compile(pattern: str | Pattern[str]) -> Pattern[str]:
    if isinstance(pattern, re.Pattern):
        return pattern
    try:
        return re.compile(pattern)
    except re.error as err:
        raise InputError(
            f"boilerplate pattern {pattern!r} is not a valid regular expression ({err}); "
            "fix it or escape it with re.escape().",
            code=E_PATTERN,
            field="boilerplate_patterns",
        ) from None
