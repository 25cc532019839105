"""Error codes: one catalogue (toolkit.errors.CODES), every code raised is in it, each class
raises the codes of its own family, and every catalogued code is used."""
from __future__ import annotations

import re
from pathlib import Path

import toolkit
from toolkit import errors

PACKAGE = Path(toolkit.__file__).parent
CODE = re.compile(r'"(E\d{3})"')
FAMILY = {"InputError": "1", "SchemaError": "2", "ModelError": "3", "FormatError": "4", "WorkerError": "5"}
RAISE = re.compile(r"\b(InputError|SchemaError|ModelError|FormatError|WorkerError)\(((?:(?!\bError\().){0,900}?)code=\"(E\d{3})\"", re.S)


def _sources() -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py") if p.name != "errors.py"}


def test_every_code_in_the_source_is_catalogued_and_every_catalogued_code_is_used():
    used = {code for text in _sources().values() for code in CODE.findall(text)}
    assert used, "no error code found: the pattern is wrong"
    assert used - set(errors.CODES) == set(), "add these codes to toolkit.errors.CODES"
    generic = {code for code in errors.CODES if code.endswith("00")}
    assert set(errors.CODES) - used - generic == set(), "catalogued but never raised"


def test_each_error_class_raises_codes_of_its_own_family():
    checked = 0
    for path, text in _sources().items():
        for cls, _, code in RAISE.findall(text):
            assert code[1] == FAMILY[cls], f"{path.name}: {cls} raised with {code}"
            checked += 1
    assert checked >= 20
    for cls, digit in FAMILY.items():
        assert getattr(errors, cls).code == f"E{digit}00"


def test_an_error_message_carries_its_code_and_location():
    err = errors.InputError("the date is not a date; write YYYY-MM-DD.", code="E114", file="a.csv", line=3, field="date")
    assert str(err) == "[E114] a.csv, line 3, field 'date': the date is not a date; write YYYY-MM-DD."
    assert isinstance(err, ValueError) and err.code in errors.CODES
