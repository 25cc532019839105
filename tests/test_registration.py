"""Registration in one place: toolkit/factories.py holds every spaCy factory and the entry points
name it; nothing below toolkit/__init__.py imports the package itself or a module for its side
effect; toolkit.api is the one place a corrections path becomes an adapter."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import toolkit
from toolkit import factories
from toolkit.api import open_annotations
from toolkit.learn import CorrectionsAdapter

PACKAGE = Path(toolkit.__file__).parent
ROOT = PACKAGE.parent


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, path.read_text(encoding="utf-8")


def test_every_factory_is_in_factories_py_and_named_by_an_entry_point():
    decorated = {path.relative_to(PACKAGE).as_posix() for path, text in _modules() if "@Language.factory" in text}
    assert decorated == {"factories.py"}
    names = re.findall(r'@Language\.factory\(\s*"?(\w+)"?', (PACKAGE / "factories.py").read_text(encoding="utf-8"))
    points = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]["spacy_factories"]
    assert all(target.startswith("toolkit.factories:make_") for target in points.values())
    assert all(hasattr(factories, target.split(":")[1]) for target in points.values())
    assert len(points) == len(names) == 10


def test_spacy_finds_the_factories_by_their_entry_points_alone():
    code = (
        "import sys, spacy\n"
        "nlp = spacy.blank('en')\n"
        "for name in ('toolkit_sentencizer', 'toolkit_entity_rules', 'toolkit_claim_rules'):\n"
        "    nlp.add_pipe(name)\n"
        "doc = nlp('Officials in Hanoi said the port would reopen on Monday.')\n"
        "print([(e.text, e.label_) for e in doc.ents], len(doc._.claims))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[('Hanoi', 'GPE'), ('Monday', 'DATE')] 1"


def test_no_module_below_the_package_imports_the_package_or_a_module_for_its_side_effect():
    for path, text in _modules():
        rel = path.relative_to(PACKAGE)
        if rel.as_posix() == "__init__.py":
            continue
        up = "." * len(rel.parts)  # toolkit/x.py: "from . import" is the package; toolkit/a/x.py: "from .. import"
        own = re.compile(rf"^\s*(import toolkit\b|from toolkit import|from {re.escape(up)} import)", re.M)
        assert not own.search(text), f"{rel} imports the toolkit package itself"
        assert not re.search(r"^\s*(from|import) .*#.*regist", text, re.M), f"{rel} imports a module for a side effect"


def test_a_path_becomes_an_adapter_in_toolkit_api_only(tmp_path):
    from toolkit import extract

    store = tmp_path / "annotations"
    store.mkdir()
    adapter = open_annotations(store)
    assert isinstance(adapter, CorrectionsAdapter) and open_annotations(adapter) is adapter and open_annotations(None) is None
    with pytest.raises(TypeError, match=r"toolkit\.Extractor\(annotations=PATH\)"):
        extract.Extractor(model=None, annotations=str(store))
    assert extract.Extractor(model=None, annotations=adapter).annotations is adapter
    assert toolkit.Extractor(model=None, annotations=store).annotations.fingerprint == adapter.fingerprint


def test_components_are_placed_by_their_rank_in_one_order_whatever_the_order_of_adding():
    from toolkit.extract.pipeline import ORDER, place
    from toolkit.extract.tokenizer import blank_english

    names = ["toolkit_claim_rules", "toolkit_suppress", "toolkit_entity_rules", "toolkit_learned_patterns", "sentencizer"]
    for order in (names, list(reversed(names)), sorted(names)):
        nlp = blank_english()
        for name in order:
            place(nlp, "toolkit_sentencizer" if name == "sentencizer" else name, name=name)
        assert nlp.pipe_names == [n for n in ORDER if n in names]
    with pytest.raises(ValueError, match="has no place in toolkit.extract.pipeline.ORDER"):
        place(blank_english(), "sentencizer", name="my_sentencizer")
    for extractor in (toolkit.Extractor(model=None), toolkit.Extractor()):
        ours = [n for n in extractor.pipe_names if n in ORDER]
        assert ours == sorted(ours, key=ORDER.index)


def test_the_version_is_read_once_from_the_installed_metadata():
    from importlib.metadata import version

    from toolkit.about import DISTRIBUTION

    assert toolkit.__version__ == version(DISTRIBUTION)
    readers = {p.relative_to(PACKAGE).as_posix() for p, text in _modules() if "importlib.metadata" in text}
    assert readers == {"about.py"}
