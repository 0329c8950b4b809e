"""Which packages an import really loads, asked of a fresh interpreter (this test process has loaded everything)."""

from __future__ import annotations

import subprocess
import sys


def loaded_modules(statements: str, roots: tuple[str, ...]) -> str:
    """The sorted modules under the top-level packages ``roots`` loaded after ``statements`` run in a new Python,
    as it prints them (``"[]"``: none).

    Raises:
        subprocess.CalledProcessError: ``statements`` failed.
    """
    code = f"{statements}; import sys; print(sorted(m for m in sys.modules if m.split('.')[0] in {roots!r}))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
