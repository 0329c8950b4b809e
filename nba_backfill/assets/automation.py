"""Declarative automation of phases 2–5: re-materializing an upstream partition re-runs exactly the
downstream partitions it affects (through the partition mappings), each once, after their upstream.

Why not ``AutomationCondition.eager()``: it only considers the latest time partition, so a repaired
partition from January would never cascade. This condition has no such limit, and it waits while any
upstream partition is missing or in progress (so a 26-day repair triggers each downstream day once, not
once per upstream day), and while the partition itself is in progress, e.g. inside the gap sensor's
backfill (which already targets the whole downstream closure: nothing runs twice).
"""

from __future__ import annotations

import dagster as dg


def cascade_condition() -> dg.AutomationCondition:
    """True for a partition whose upstream changed since it was last requested or materialized."""
    return (
        dg.AutomationCondition.any_deps_updated().since_last_handled()
        & ~dg.AutomationCondition.any_deps_missing()
        & ~dg.AutomationCondition.any_deps_in_progress()
        & ~dg.AutomationCondition.in_progress()
    ).with_label("cascade_on_upstream_change")
