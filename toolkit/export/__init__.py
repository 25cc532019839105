"""Export corrections to other annotation tools and import their annotations.

One module per format, each with its importer beside its exporter; :data:`FORMATS` is the
registry. All offsets are Python ``str`` indices (code points), end exclusive.
"""
from .api import FORMATS, IMPORT_FORMATS, Format, export_records, import_records
from .label_studio import label_studio_config
from .table import to_dataframe

__all__ = ["FORMATS", "IMPORT_FORMATS", "Format", "export_records", "import_records", "label_studio_config", "to_dataframe"]
