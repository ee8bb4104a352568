"""``contractgen verify``: passes on the mock (bundled contracts and the golden trees)
and on the reference service; finds a broken service; text, json and github reports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contractgen.cli import app as cli

from .support import REPO

GOLDEN = REPO / "tests" / "golden" / "cases"


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["verify", *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_verify_passes_on_the_mock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    code, output = run_cli("--mock", "--examples", "5")
    assert code == 0, output
    assert "schemathesis: 13 passed, 0 failed" in output
    assert "auth: 156 passed, 0 failed" in output  # 13 operations x 4 levels x 3 transports


def test_verify_passes_on_the_reference_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    target = "examples.metering_service:reproducible_app"
    code, output = run_cli("--app", target, "--examples", "10", "--format", "json")
    report = json.loads(output)
    assert code == 0 and report["ok"], [f for f in report["findings"] if not f["ok"]]
    checks = {f["check"] for f in report["findings"]}
    assert checks == {"schemathesis", "auth", "examples"}
    compared = [f for f in report["findings"] if f["check"] == "examples"]
    assert {f["transport"] for f in compared} == {"graphql", "mcp"}


def test_verify_finds_a_broken_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    target = "tests.runtime.broken_service:app"
    code, output = run_cli("--app", target, "--examples", "5", "--format", "github")
    assert code == 1
    lines = output.splitlines()
    assert all(line.startswith("::error title=contractgen verify") for line in lines)
    assert any("schemathesis" in line and "GET /v1/metric/get" in line for line in lines)


def test_schemathesis_ignored_auth_check_runs_and_finds_an_open_door() -> None:
    """verify runs schemathesis's ignored_auth check: an app that lets every caller in
    fails it (a call without credentials succeeds); the same app with the development
    authenticator passes it (verify's own run, above, has the check too)."""
    import yaml
    from contractgen_runtime import Context

    from contractgen.runtime.verify import schemathesis_checks
    from examples.metering_service import build_app

    document = yaml.safe_load((REPO / "generated" / "openapi" / "openapi.yaml").read_text())
    open_door = build_app(authenticator=lambda headers: Context(subject_id="x", auth="admin"))
    findings = {f.subject: f for f in schemathesis_checks(open_door, document, 5)}
    get = findings["GET /v1/metric/get"]
    assert not get.ok and "without authentication" in get.message, get.message
    guarded = schemathesis_checks(build_app(), document, 5)
    assert [f for f in guarded if not f.ok] == []


def test_verify_needs_exactly_one_target() -> None:
    assert run_cli()[0] == 2
    assert run_cli("--mock", "--app", "x:y")[0] == 2


@pytest.mark.parametrize("case", sorted(p.name for p in GOLDEN.iterdir() if p.is_dir()))
def test_verify_passes_on_the_mock_of_each_golden_tree(tmp_path: Path, case: str) -> None:
    """A project of its own per tree (its generated packages import in a fresh process)."""
    contracts = (GOLDEN / case / "contracts").as_posix()
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.contractgen]\ncontracts = "{contracts}"\noutput = "generated"\n',
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "contractgen"]
    subprocess.run([*command, "build"], check=True, capture_output=True, cwd=tmp_path)
    done = subprocess.run(
        [*command, "verify", "--mock", "--examples", "5", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["ok"], [f for f in report["findings"] if not f["ok"]]
    assert {f["check"] for f in report["findings"]} >= {"schemathesis", "auth"}


def test_a_long_failure_keeps_its_heading_and_its_reason() -> None:
    from contractgen.runtime.verify import shortened

    message = "- Response violates schema\n" + "x" * 2000 + "\nSchema at /properties/instance"
    short = shortened(message)
    assert len(short) < 620
    assert short.startswith("- Response violates schema")
    assert short.endswith("Schema at /properties/instance")
    assert shortened("short") == "short"
