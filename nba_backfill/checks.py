"""Asset checks per partition (row counts from the schedule, keys, cross-table consistency).

``ALL_CHECKS`` is the registry ``definitions.py`` loads.
"""

import dagster as dg

ALL_CHECKS: list[dg.AssetChecksDefinition] = []
