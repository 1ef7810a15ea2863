"""Read-only mappings for the fields of frozen value objects."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

EMPTY: Mapping[str, Any] = MappingProxyType({})


def frozen_mapping(data: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """A read-only copy of ``data`` (one shared empty mapping for none)."""
    return MappingProxyType(dict(data)) if data else EMPTY
