"""Where data comes from: the bundled real 2025-26 files, the stats.nba.com client and its local replay."""
