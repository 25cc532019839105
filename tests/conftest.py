"""Shared fixtures. Tests may read ../shared (the shared corpus and interop fixtures)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

os.environ.setdefault("TQDM_DISABLE", "1")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    assert SHARED.exists(), f"tests need the shared data folder beside the repository: {SHARED}"
    return SHARED


@pytest.fixture(scope="session")
def shared_corpus(shared_dir: Path) -> Path:
    return shared_dir / "corpus"


@pytest.fixture(scope="session")
def extractor():
    """One default Extractor for the session: the best installed pretrained pipeline + the rules."""
    import toolkit

    return toolkit.Extractor()


@pytest.fixture(scope="session")
def rules_extractor():
    """One rules-only Extractor for the session (spacy.blank("en") + the rules)."""
    import toolkit

    return toolkit.Extractor(model=None)
