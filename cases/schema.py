"""Every module that declares tables, so the whole schema can be loaded at once."""

from __future__ import annotations

import importlib
from typing import Final

from sqlalchemy import MetaData

from cases.models import Base

# Add a module here when it declares tables on `cases.models.Base`; the drift test compares
# the migrated database with exactly this schema.
MODEL_MODULES: Final = (
    "cases.models",
    "cases.risk_management",
    "officer.models",
    "followup.models",
    "officer.centre_models",
    "officer.api_tokens",
    "cases.lawful_basis",
    "cases.erasure",
    "cases.deliveries",
)


def full_metadata() -> MetaData:
    """Import every model module and return the shared metadata."""
    for name in MODEL_MODULES:
        importlib.import_module(name)
    return Base.metadata
