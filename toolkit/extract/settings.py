"""The one serialization of the toolkit's components: a ``cfg`` plus rows in ``<key>.jsonl``.

spaCy calls ``to_disk``/``from_disk``/``to_bytes``/``from_bytes`` on every component when a
pipeline is saved or loaded. A component here lists its parts once, in ``_parts()``: a dict
``key -> Part(get, set)``. The four methods are spaCy's ``util.to_disk``/``from_disk``/
``to_bytes``/``from_bytes`` over that dict, as in spaCy's own components (``SpanRuler``), so
``exclude=`` means the same everywhere: a key in ``exclude`` is neither written nor read.

On disk, the key ``cfg`` is the JSON file ``cfg`` and any other key ``patterns`` the JSONL
file ``patterns.jsonl`` (one row a line); a missing file leaves that part as it is. In bytes,
each key is an entry of one msgpack dict.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

import srsly
from spacy import util

CFG = "cfg"
T = TypeVar("T", bound="Serialized")


@dataclass(frozen=True)
class Part:
    """One serialized part of a component.

    Attributes:
        get: returns the part's plain data (a dict for ``cfg``, a list of row dicts otherwise).
        set: takes that data back, and the file it was read from (None when from bytes),
            which errors about a bad row name.
    """

    get: Callable[[], Any]
    set: Callable[[Any, Path | None], None]


def file_name(key: str) -> str:
    """The file of part ``key`` in a component's directory: ``cfg``, or ``<key>.jsonl``."""
    return key if key == CFG else f"{key}.jsonl"


class Serialized:
    """Mixin: spaCy's four serialization methods over the parts listed by :meth:`_parts`."""

    def _parts(self) -> dict[str, Part]:
        raise NotImplementedError(f"{type(self).__name__} must list its serialized parts in _parts()")

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return util.to_bytes({key: part.get for key, part in self._parts().items()}, exclude)

    def from_bytes(self: T, data: bytes, *, exclude: Iterable[str] = ()) -> T:
        setters = {key: (lambda value, part=part: part.set(value, None)) for key, part in self._parts().items()}
        util.from_bytes(data, setters, exclude)
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = util.ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        writers = {file_name(key): (lambda file, part=part: _write(file, part.get())) for key, part in self._parts().items()}
        util.to_disk(path, writers, exclude)

    def from_disk(self: T, path: str | Path, *, exclude: Iterable[str] = ()) -> T:
        readers = {file_name(key): (lambda file, part=part: _read(file, part)) for key, part in self._parts().items()}
        util.from_disk(path, readers, exclude)
        return self


def _write(file: Path, data: Any) -> None:
    if file.name == CFG:
        srsly.write_json(file, data)
    else:
        srsly.write_jsonl(file, data)


def _read(file: Path, part: Part) -> None:
    if file.exists():
        part.set(srsly.read_json(file) if file.name == CFG else srsly.read_jsonl(file), file)


class SettingsComponent(Serialized):
    """Mixin for a component whose only state is ``self.cfg``, a dict of plain settings
    (saved as the ``cfg`` file); what is loaded updates ``self.cfg``."""

    cfg: dict[str, Any]

    def _parts(self) -> dict[str, Part]:
        return {CFG: Part(lambda: self.cfg, lambda cfg, _file: self.cfg.update(cfg))}
