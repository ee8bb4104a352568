"""Golden tests: each case folder's contracts render to exactly its expected/ tree.

Regenerate after an intended output change with:

    CONTRACTGEN_UPDATE_GOLDEN=1 pytest tests/test_golden.py

and review the diff in git before committing. The bundled contracts' golden
output is generated/ itself, checked the same way.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from contractgen.config import load_config
from contractgen.load import load
from contractgen.surfaces import SURFACE_NAMES, Options, OutputFile, render_all

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "golden" / "cases"
UPDATE = os.environ.get("CONTRACTGEN_UPDATE_GOLDEN") == "1"


def render_case(contracts: Path, options: Options | None = None) -> list[OutputFile]:
    result = load(contracts)
    assert result.ok and result.spec is not None, [str(d) for d in result.diagnostics]
    return render_all(result.spec, options or Options(), SURFACE_NAMES)


def compare_tree(expected_root: Path, files: list[OutputFile]) -> list[str]:
    problems: list[str] = []
    produced = {f.path: f.content for f in files}
    on_disk = {
        p.relative_to(expected_root).as_posix()
        for p in expected_root.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }
    for rel in sorted(on_disk - set(produced)):
        problems.append(f"no longer produced: {rel}")
    for rel, content in sorted(produced.items()):
        target = expected_root / rel
        if not target.is_file():
            problems.append(f"new output, not in expected/: {rel}")
            continue
        old = target.read_text(encoding="utf-8")
        if old != content:
            diff = difflib.unified_diff(
                old.splitlines(True), content.splitlines(True), f"expected/{rel}", f"actual/{rel}"
            )
            problems.append("".join(diff))
    return problems


def write_tree(root: Path, files: list[OutputFile]) -> None:
    shutil.rmtree(root, ignore_errors=True)
    for f in files:
        target = root / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f.content, encoding="utf-8")


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_golden_case(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = CASES / case
    monkeypatch.chdir(folder)
    files = render_case(folder / "contracts")
    expected = folder / "expected"
    if UPDATE:
        write_tree(expected, files)
    problems = compare_tree(expected, files)
    assert not problems, (
        "golden output differs (regenerate with CONTRACTGEN_UPDATE_GOLDEN=1):\n"
        + ("\n".join(problems))
    )


def test_bundled_generated_folder_is_current(monkeypatch: pytest.MonkeyPatch) -> None:
    """generated/ is the golden output of the bundled contracts (contractgen build)."""
    monkeypatch.chdir(ROOT)
    files = render_case(ROOT / "contracts", Options.from_config(load_config(ROOT)))
    problems = compare_tree(ROOT / "generated", files)
    assert not problems, "generated/ is stale: run 'contractgen build'\n" + "\n".join(problems)


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_golden_python_is_ruff_clean(case: str) -> None:
    """Every case's generated Python passes ruff's lint and format checks."""
    import subprocess
    import sys

    folder = CASES / case / "expected" / "python"
    rules = ["--select", "E,F,W,I,B,UP,SIM,RUF", "--ignore", "E501"]
    checks = (
        ["check", "--isolated", "--no-cache", *rules, "."],
        ["check", "--isolated", "--no-cache", "."],  # ruff's default rules
        ["format", "--isolated", "--no-cache", "--check", "."],
    )
    for args in checks:
        proc = subprocess.run(
            [sys.executable, "-m", "ruff", *args], cwd=folder, capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
