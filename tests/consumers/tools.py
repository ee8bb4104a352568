"""Where the linters users run live for the tests, and how to run them.

The npm tools (Spectral, Redocly, graphql-schema-linter, pyright) are pinned in
``tests/consumers/package.json`` and its lock file; ``npm ci`` in this folder
installs them (``.ci/run`` does). ruff and mypy come from the test extras.
In CI (``CI`` set) a missing tool fails the test that needs it; on a
development machine the test is skipped, saying how to install it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
BIN = HERE / "node_modules" / ".bin"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def npm_tool(name: str) -> Path:
    """The installed command of an npm tool; fails in CI, skips elsewhere, when absent."""
    path = BIN / name
    if not path.is_file():
        reason = f"{name} is not installed: run 'npm ci' in {HERE}"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def run(
    args: list[str | Path], cwd: Path, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Runs a tool to the end, its output captured (no telemetry, no colours)."""
    env = {**os.environ, "NO_COLOR": "1", "REDOCLY_TELEMETRY": "off", "PYTHONPATH": ""}
    env.update(extra_env or {})
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300
    )


def python_tool(module: str, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A Python tool of the test extras (ruff, mypy), run as a module of this interpreter."""
    return run([sys.executable, "-m", module, *args], cwd)
