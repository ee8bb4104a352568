"""`contractgen validate` as a user meets it: exit codes and the three formats."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contractgen.cli import app

BAD = Path(__file__).parent / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if (p / "expected.json").is_file())
LINE = re.compile(r"^(?P<file>\S+):(?P<line>\d+):(?P<col>\d+): error\[(?P<code>CG\d{3})\]: .+$")
GITHUB = re.compile(r"^::error file=([^,]+),line=(\d+),col=(\d+),title=(CG\d{3})::.+$")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_validate_bundled_exits_0(runner: CliRunner, bundled_contracts: Path) -> None:
    result = runner.invoke(app, ["validate", str(bundled_contracts)])
    assert result.exit_code == 0, result.output
    assert "ok: 13 operations, 9 events, 32 models, 4 enums" in result.stderr
    assert "0 errors" in result.stderr


def test_validate_bundled_json_is_empty_list(runner: CliRunner, bundled_contracts: Path) -> None:
    result = runner.invoke(app, ["validate", str(bundled_contracts), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_validate_bad_tree_text(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD / "many_problems")
    result = runner.invoke(app, ["validate", "contracts"])
    assert result.exit_code == 1
    err = result.stderr.splitlines()
    heads = [m for m in (LINE.match(x) for x in err) if m]
    assert [(m["file"], m["line"], m["code"]) for m in heads] == [
        ("contracts/m/a.yaml", "4", "CG206"),
        ("contracts/m/b.yaml", "1", "CG108"),
        ("contracts/m/c.yaml", "18", "CG301"),
        ("contracts/m/d.yaml", "5", "CG103"),
        ("contracts/n/e.yaml", "14", "CG204"),
    ]
    # a code frame under the first diagnostic: the source line and a caret at col 12
    i = err.index(heads[0].group(0))
    assert err[i + 2] == ' 4 |   version: "1.0"'
    assert err[i + 3] == "   |            ^"
    assert "  hint: did you mean 'String'?" in err
    assert "  note: contracts/m/d.yaml:3:3: first defined here" in err
    assert err[-1] == "5 errors, 0 warnings"
    assert "Traceback" not in result.output


def test_validate_json(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD / "cg401_duplicate_model_across_files")
    result = runner.invoke(app, ["validate", "contracts", "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data == [
        {
            "level": "error",
            "code": "CG401",
            "message": "'DoOutput' is defined twice",
            "file": "contracts/m/b.yaml",
            "line": 3,
            "col": 3,
            "hint": "model and enum names are global across the contracts tree",
            "related": [
                {
                    "file": "contracts/m/a.yaml",
                    "line": 19,
                    "col": 3,
                    "message": "first defined here",
                }
            ],
        }
    ]


def test_validate_github(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD / "many_problems")
    result = runner.invoke(app, ["validate", "contracts", "--format", "github"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    parsed = [GITHUB.match(x) for x in lines]
    assert all(parsed), lines
    assert [(m[1], m[2], m[4]) for m in parsed if m][:1] == [("contracts/m/a.yaml", "4", "CG206")]
    assert lines[2].endswith("(did you mean 'String'?)")


def test_usage_error_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", "--no-such-option"])
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_bad_format_value_exits_2(runner: CliRunner, bundled_contracts: Path) -> None:
    result = runner.invoke(app, ["validate", str(bundled_contracts), "--format", "xml"])
    assert result.exit_code == 2


def test_missing_folder_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "error[CG100]" in result.stderr


@pytest.mark.parametrize("case", CASES)
def test_no_traceback_for_any_corpus_case(
    case: str, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(BAD / case)
    for fmt in ("text", "json", "github"):
        result = runner.invoke(app, ["validate", "contracts", "--format", fmt])
        assert result.exit_code == 1, (fmt, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output
    data = json.loads(runner.invoke(app, ["validate", "contracts", "--format", "json"]).stdout)
    expected = json.loads((BAD / case / "expected.json").read_text())
    assert {d["code"] for d in data} == {e["code"] for e in expected}


def test_real_process_exit_codes(bundled_contracts: Path) -> None:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    cmd = [sys.executable, "-m", "contractgen", "validate"]
    ok = subprocess.run([*cmd, str(bundled_contracts)], capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run(
        [*cmd, "contracts"],
        capture_output=True,
        text=True,
        env=env,
        cwd=BAD / "cg105_billion_laughs",
    )
    assert bad.returncode == 1
    assert "contracts/m/a.yaml:4:4: error[CG105]" in bad.stderr
    assert "Traceback" not in bad.stderr
    usage = subprocess.run([*cmd, "--bogus"], capture_output=True, text=True, env=env)
    assert usage.returncode == 2
    assert "Traceback" not in usage.stderr
