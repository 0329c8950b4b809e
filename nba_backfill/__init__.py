"""nba_backfill: an NBA player-prop pipeline as a Dagster asset graph of daily partitions.

The package is a Dagster code location (see ``definitions.py``). Gaps in any table are found by asset
checks and sensors, and filled by backfills that cascade through the partition mappings.
"""

__version__ = "0.1.0"
