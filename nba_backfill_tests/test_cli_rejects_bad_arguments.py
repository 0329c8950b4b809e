"""Every command that takes dates or options rejects bad ones with one line, a non-zero exit, no traceback and
no change on disk: non-dates, reversed ranges, dates outside the partitions, unknown formats and options.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from nba_backfill.cli import app

BAD = [
    (["plan", "2026-02-01", "2026-01-01"], "END 2026-01-01 is before START 2026-02-01"),
    (["backfill", "2026-02-01", "2026-01-01"], "END 2026-01-01 is before START 2026-02-01"),
    (["validate", "2026-02-01", "2026-01-01"], "END 2026-01-01 is before DATE 2026-02-01"),
    (["grade", "2026-02-01", "2026-01-01"], "END 2026-01-01 is before START 2026-02-01"),
    *[([cmd, "soon"], "'soon' is not a date") for cmd in ("plan", "backfill", "validate", "grade")],
    *[([cmd, "2025-10-21", "2026-02-30"], "'2026-02-30' is not a date") for cmd in ("plan", "backfill", "validate",
                                                                                   "grade")],
    *[([cmd, "2024-01-10"], "2024-01-10 is outside the seasons") for cmd in ("plan", "backfill", "validate",
                                                                                "grade")],
    *[([cmd, "2025-11-01", "2030-01-01"], "2030-01-01 is outside the seasons") for cmd in ("plan", "backfill")],
    (["validate", "2026-01-10", "--format", "xml"], "--format 'xml' is not one of table, json"),
    (["replay-server", "--faults", '{"rules": [{"kind": "meteor"}]}'], "kind 'meteor' is not one of"),
    (["replay-server", "--faults", '{"rules": [1]}'], "invalid replay fault rule 1: each rule is a JSON object"),
    (["gaps"], "no warehouse at"),  # nothing stored yet is not "no gaps"
]


@pytest.mark.parametrize("args, message", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_arguments_give_one_line_and_a_non_zero_exit(args, message, tmp_path, monkeypatch):
    monkeypatch.setenv("NBA_BACKFILL_HOME", str(tmp_path))
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    result = CliRunner().invoke(app, args)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code != 0 and result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert len(lines) == 1 and lines[0].startswith("error:"), result.output
    assert message in " ".join(result.output.split())
    assert list(tmp_path.iterdir()) == []  # nothing created or changed


@pytest.mark.parametrize("args", [["plan", "2026-01-10", "--bogus"], ["gaps", "extra"], ["frobnicate"],
                                  ["validate"], ["replay-server", "--port", "99999"]])
def test_unknown_options_and_commands_exit_non_zero_without_traceback(args):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and "Traceback" not in result.output


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("NBA_BACKFILL_DEPLOYMENT", "nope", "NBA_BACKFILL_DEPLOYMENT='nope' is not one of local, gcp"),
    ("NBA_BACKFILL_RATE_LIMIT_SECONDS", "abc", "NBA_BACKFILL_RATE_LIMIT_SECONDS='abc' is not a number"),
    ("NBA_BACKFILL_SOURCE_RETRIES", "x", "NBA_BACKFILL_SOURCE_RETRIES='x' is not an integer"),
    ("NBA_BACKFILL_STAGES", "zzz", "NBA_BACKFILL_STAGES has unknown game-id prefixes ['zzz']"),
])
def test_a_bad_setting_gives_one_line_naming_the_variable(variable, value, message, tmp_path, monkeypatch):
    """Settings are read by every command: a bad value is one ``error:`` line (exit 2), not a traceback."""
    monkeypatch.setenv("NBA_BACKFILL_HOME", str(tmp_path))
    monkeypatch.setenv(variable, value)
    for args in (["validate", "2026-01-21"], ["gaps"]):
        result = CliRunner().invoke(app, args)
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert result.exit_code == 2 and len(lines) == 1 and lines[0].startswith("error:"), result.output
        assert message in result.output
