"""Normalising the date of a record to ISO ``YYYY-MM-DD``."""
from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any, Callable

from ..errors import InputError

E_DATE = "E114"
_MISSING_TYPES = ("NaTType", "NAType")


def normalise_date(value: Any, *, error: Callable[[str], InputError]) -> str | None:
    """``value`` as ``YYYY-MM-DD``, or None when it is empty or missing.

    Accepts ISO 8601 dates and datetimes as text (``2023-04-10``, ``2023-04-10T12:00:00Z``,
    ``2023-04-10 12:00``) and date/datetime objects (including pandas Timestamps). The date
    is the one written: ``2023-04-10T23:00:00-05:00`` gives ``2023-04-10``, with no
    conversion to UTC.

    Args:
        value: the raw value of the date field.
        error: builds the ``InputError`` (with file, line and field) for a bad value.

    Raises:
        InputError: ``value`` is not a recognisable date.
    """
    if value is None or type(value).__name__ in _MISSING_TYPES:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        stripped = value.strip()
        if not stripped:
            return None
        try:
            return datetime.fromisoformat(stripped).date().isoformat()
        except ValueError:
            pass
    raise error(
        f"{value!r} is not a date. Write dates as ISO 8601 (YYYY-MM-DD, or a datetime such as "
        "2023-04-10T12:00:00Z), leave the field empty, or pass date=None to ignore the column."
    )


def header_date(value: str, *, error: Callable[[str], InputError]) -> str:
    """Check the ``YYYY-MM-DD`` of a ``.txt`` header is a real calendar date."""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise error(
            f"the header date {value!r} is not a calendar date; correct it (YYYY-MM-DD) "
            "or remove the ' date ... ' header."
        ) from None
