"""``contractgen serve`` and ``verify`` fail with one line and exit 2, or exit cleanly:
stdin closing under ``--stdio``, a missing extra, an ``--app`` that does not import;
``verify --mock`` of a recursive model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .support import REPO

COMMAND = [sys.executable, "-m", "contractgen"]
TREE_MODELS = """kind: models
models:
  Item:
    description: A node of a tree.
    fields:
      id: {type: ID}
      children: {type: Item, isArray: true, description: The items below}
      parent: {type: Item, isOptional: true}
"""
TREE_QUERY = """kind: query
meta:
  key: item.get
  version: "1.0.0"
  description: Reads one item with its subtree.
  goal: Show a tree.
  context: Tests.
  stability: stable
  owners: [team.tree]
io:
  input: GetItemInput
  output: Item
policy:
  auth: anonymous
models:
  GetItemInput:
    fields:
      id: {type: ID}
"""


def contractgen(
    *args: str, cwd: Path = REPO, stdin: int | None = None
) -> subprocess.CompletedProcess[str]:
    command = [*COMMAND, *args]
    return subprocess.run(
        command, cwd=cwd, stdin=stdin, capture_output=True, text=True, timeout=300
    )


def test_stdio_exits_cleanly_when_stdin_closes() -> None:
    done = contractgen("serve", "--stdio", stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_extra_is_one_line_naming_it() -> None:
    script = (
        "import sys; sys.modules['starlette'] = None; sys.argv = ['contractgen', '{}']\n"
        "from contractgen.cli import main; main()"
    )
    for command in ("serve", "verify"):
        argv = [command] if command == "serve" else [command, "--mock"]
        code = script.replace("'{}'", ", ".join(repr(a) for a in argv))
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "'runtime' extra" in lines[0], done.stderr
        assert "pip install 'contractgen[runtime,mcp,verify]'" in lines[0]


def test_an_app_that_does_not_import_is_one_line() -> None:
    for target in ("no_such_module:app", "examples.metering_service:no_such_app"):
        done = contractgen("serve", "--app", target, "--port", "1")
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: --app"), done.stderr


def test_verify_mock_of_a_recursive_model(tmp_path: Path) -> None:
    contracts = tmp_path / "contracts" / "tree"
    contracts.mkdir(parents=True)
    (contracts / "models.yaml").write_text(TREE_MODELS, encoding="utf-8")
    (contracts / "item.get.yaml").write_text(TREE_QUERY, encoding="utf-8")
    config = '[tool.contractgen]\ncontracts = "contracts"\noutput = "generated"\n'
    (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    assert contractgen("build", cwd=tmp_path).returncode == 0
    done = contractgen("verify", "--mock", "--examples", "3", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemathesis: 1 passed, 0 failed; auth: 12 passed, 0 failed" in done.stdout
