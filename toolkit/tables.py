"""``toolkit.to_dataframe``: one row per entity and one per claim, from Extractions or Corrections."""
from __future__ import annotations

from typing import Iterable

import pandas as pd

from .analysis.tables import claim_table, entity_table
from .types import Correction, Extraction


def to_dataframe(items: Iterable[Extraction | Correction]) -> pd.DataFrame:
    """Entities and claims as one table (column ``type``: ``entity`` or ``claim``), with doc id and date."""
    items = list(items)
    entities = entity_table(items).assign(type="entity")
    claims = claim_table(items).assign(type="claim")
    return pd.concat([entities, claims], ignore_index=True, sort=False)
