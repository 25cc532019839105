"""The corrections store: append-only, validated, durable JSONL."""
from .choice import REVIEWER, choose_per_document, fits_text, latest_per_annotator
from .records import SUPPORTED_SCHEMAS, validate_record
from .store import Corrections

__all__ = ["Corrections", "REVIEWER", "SUPPORTED_SCHEMAS", "choose_per_document", "fits_text", "latest_per_annotator", "validate_record"]
