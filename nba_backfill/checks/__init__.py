"""Asset checks per game-date partition: row counts from the schedule, keys, cross-table consistency, windows.

One module per phase (``raw``, ``analytics``, ``features``); each defines its checks' specs and one ``evaluate_*``
generator per checked asset — it reads the run's stored slice once and evaluates every check of the asset with
the pure functions of ``logic/checks/`` (the same ones ``nba-backfill validate`` uses). The checks run inside the
asset's own step (``check_specs``): the asset yields its outputs, then ``yield from evaluate_*(...)``.
``evaluation.py`` records one result per partition, also in range runs. Raw and analytics checks are blocking;
phases 4–5 report ERRORs without blocking.

The scrape-failure streak (``failure_streak.py``) is the one check with a step of its own (not partitioned).
"""
