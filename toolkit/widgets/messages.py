"""What an action tells the user: a status-line text and its level, decided where it is written.

Every edit and panel action returns a ``Message``; the panel shows ``text`` in the status
line coloured by ``level``. The level is chosen by the code that knows what happened, never
guessed afterwards from the wording.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

#: ``info`` a hint or a neutral fact; ``ok`` an edit or a save that happened; ``warn`` nothing
#: was done (something is missing, or there is nothing to do) or the data has a problem;
#: ``error`` an action failed with an exception (set by the panel only).
Level = Literal["info", "ok", "warn", "error"]
LEVELS: tuple[str, ...] = get_args(Level)


@dataclass(frozen=True)
class Message:
    """A status-line message: ``text`` at ``level`` (``str(message)`` is the text)."""

    text: str
    level: Level = "info"

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"message level must be one of {', '.join(LEVELS)}, not {self.level!r}")

    def __str__(self) -> str:
        return self.text


def info(text: str) -> Message:
    return Message(text, "info")


def ok(text: str) -> Message:
    return Message(text, "ok")


def warn(text: str) -> Message:
    return Message(text, "warn")
