"""The toolkit's version, read once from the installed distribution's metadata.

This module imports nothing else of the package, so any layer may import it without
pulling in the whole toolkit.
"""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "toolkit-news"
"""The name on the package index (``pip install toolkit-news``); the import name is ``toolkit``."""

try:
    __version__ = version(DISTRIBUTION)
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
