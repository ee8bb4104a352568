"""``validate`` and ``build`` never import the runtime's dependencies (they are optional
extras): checked in a fresh interpreter that runs both commands."""

from __future__ import annotations

import subprocess
import sys

from .support import REPO

PROGRAM = """
import sys
from typer.testing import CliRunner
from contractgen.cli import app

runner = CliRunner()
for args in (["validate"], ["build", "--check"]):
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
heavy = (
    "starlette", "uvicorn", "httpx", "mcp", "redis", "schemathesis", "contractgen.runtime",
    "contractgen_runtime.serve",
)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in heavy or m.startswith(heavy))
print(",".join(loaded))
"""


def test_validate_and_build_do_not_import_the_runtime() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "", done.stdout


GENERATED_PROGRAM = """
import sys
sys.path.insert(0, {python!r})
import contractgen_runtime
import contractgen_runtime.serve
import metering
from contractgen_runtime.serve import Service  # the dispatch: no transport's library
heavy = ("starlette", "uvicorn", "httpx", "graphql", "mcp", "redis", "contractgen", "jinja2")
print(",".join(sorted(m for m in sys.modules if m.split(".")[0] in heavy)))
"""


def test_the_generated_packages_import_with_pydantic_alone() -> None:
    """The core package, a domain package and the serving runtime's dispatch load none
    of the transports' libraries (the extras), nor the generator."""
    program = GENERATED_PROGRAM.format(python=str(REPO / "generated" / "python"))
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "", done.stdout
