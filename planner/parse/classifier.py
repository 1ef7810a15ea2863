"""Placeholder until the trained model lands."""

from __future__ import annotations


def classify_role(text: str) -> str | None:
    return None
