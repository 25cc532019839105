"""The corrections store: append-only, validated, durable JSONL."""
from .records import SUPPORTED_SCHEMAS, validate_record
from .store import Corrections

__all__ = ["Corrections", "SUPPORTED_SCHEMAS", "validate_record"]
