"""Moved to :mod:`planner.rulefile` (the plan layer's estimate reads rule files too)."""

from __future__ import annotations

from planner.rulefile import RuleText, display_path, expect_keys, expect_type, read_rule_file

__all__ = ["RuleText", "display_path", "expect_keys", "expect_type", "read_rule_file"]
