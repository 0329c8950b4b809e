"""Pure pandas/domain code (no ``import dagster``): parsing, summaries, factors, the 7 systems, grading."""
