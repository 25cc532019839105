"""Serialization of components whose only state is a ``cfg`` dict of plain settings."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import srsly
from spacy.util import ensure_path


class SettingsComponent:
    """Mixin: ``to_bytes``/``from_bytes``/``to_disk``/``from_disk`` of ``self.cfg`` (a ``cfg``
    JSON file in the component's directory), as spaCy expects of a pipeline component."""

    cfg: dict[str, Any]

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.msgpack_dumps(self.cfg)

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()):
        self.cfg.update(srsly.msgpack_loads(data))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg", self.cfg)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()):
        path = ensure_path(path)
        if (path / "cfg").exists():
            self.cfg.update(srsly.read_json(path / "cfg"))
        return self
