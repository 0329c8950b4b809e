"""Rendering of validation reports: a table for one date, one line per date for a range, or JSON."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable

from nba_backfill.validation.report import DayReport

MAX_PROBLEMS_SHOWN = 20
_PHASES = ("0", "1", "2", "3", "4", "5")


def print_day(console: Console, report: DayReport, title: str | None = None) -> None:
    """One date: the lines with expected, found, status and recorded checks, then the problems, then overall."""
    table = RichTable(title=title or f"validation report for {report.day}")
    for col in ("phase", "what", "expected", "found", "status", "checks", "note"):
        table.add_column(col)
    for line in report.lines:
        status = line.status if line.ok else f"[red]{line.status}[/red]"
        table.add_row(line.phase, line.item, str(line.expected), str(line.found), status, line.checks, line.note)
    console.print(table)
    problems = [(line.item, p) for line in report.lines for p in line.problems]
    for item, problem in problems[:MAX_PROBLEMS_SHOWN]:
        console.print(f"  - {item}: {problem}", highlight=False)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        console.print(f"  … and {len(problems) - MAX_PROBLEMS_SHOWN} more problems (--format json lists all)")
    console.print(f"overall {report.day}: {report.status} ({report.final_games} final games)", highlight=False)


def _phase_status(report: DayReport, phase: str) -> str:
    lines = [line for line in report.lines if line.phase.startswith(phase)]
    bad = [line.status for line in lines if not line.ok]
    if bad:
        return "MISSING" if all(s == "MISSING" for s in bad) else "PARTIAL"
    return lines[0].status if lines and all(line.status == lines[0].status for line in lines) else "COMPLETE"


def print_range(console: Console, reports: list[DayReport]) -> None:
    """One line per date: overall status, games, each phase's status (0–5), and the first problem when not OK."""
    console.print(f"validation {reports[0].day} … {reports[-1].day}   phases: 0 schedule, 1 raw files, 2 raw, "
                  "3 analytics, 4 precompute, 5 predictions", highlight=False)
    for report in reports:
        first = next((f"{line.item}: {p}" for line in report.lines for p in line.problems), "")
        bad = next((line for line in report.lines if not line.ok), None)
        if not first and bad is not None:
            first = f"{bad.item}: expected {bad.expected}, found {bad.found}"
        elif not first and report.pending_games:  # every line holds what the final games owe; the day is not over
            first = f"{report.pending_games} game{'s' * (report.pending_games > 1)} not final yet"
        phases = " ".join(f"{p}:{_phase_status(report, p):<9}" for p in _PHASES)
        status = f"{report.status:<9}" if report.ok else f"[red]{report.status:<9}[/red]"
        console.print(f"{report.day}  {status} {report.final_games:2d} games  {phases} {first}",
                      highlight=False, no_wrap=True, overflow="ellipsis", crop=True)
    bad = [r for r in reports if not r.ok]
    console.print(f"overall: {'COMPLETE' if not bad else 'INCOMPLETE'} — {len(reports) - len(bad)} of {len(reports)} "
                  f"dates complete or legitimately empty" + (f"; not: {', '.join(str(r.day) for r in bad[:10])}"
                                                             + (" …" if len(bad) > 10 else "") if bad else ""),
                  highlight=False)


def as_json(reports: list[DayReport]) -> list[dict]:
    """The reports as plain data (dates ISO, every problem listed)."""
    return [{
        "date": report.day.isoformat(), "status": report.status, "ok": report.ok, "final_games": report.final_games,
        "lines": [{"phase": line.phase, "item": line.item, "expected": line.expected, "found": line.found,
                   "status": line.status, "checks": line.checks, "note": line.note, "problems": list(line.problems)}
                  for line in report.lines],
    } for report in reports]
