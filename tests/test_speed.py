"""The speed machinery changes how much work is done, never what is produced:
with any mechanism turned off (``CONTRACTGEN_SPEED_OFF``), a build, an edit
and a check give byte-identical results."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from contractgen.speed import MECHANISMS, enabled

ROOT = Path(__file__).resolve().parents[1]


def _run(folder: Path, off: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": "0", "CONTRACTGEN_SPEED_OFF": off}
    env.pop("CI", None)
    env.pop("CONTRACTGEN_NO_CACHE", None)
    command = list(args) if args[0] == "-X" else ["-m", "contractgen", *args]
    return subprocess.run(
        [sys.executable, *command],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _edit(folder: Path) -> None:
    record = folder / "contracts" / "metering" / "usage.record.yaml"
    record.write_text(record.read_text().replace("Record a usage event.", "Record usage."))


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The output of the edited bundled tree, built once with everything on."""
    folder = tmp_path_factory.mktemp("reference")
    shutil.copytree(ROOT / "contracts", folder / "contracts")
    (folder / "pyproject.toml").write_text('[tool.contractgen]\ncontracts = "contracts"\n')
    _edit(folder)
    assert _run(folder, "", "build", "--no-cache").returncode == 0
    return _tree(folder / "generated")


@pytest.mark.parametrize("off", [*MECHANISMS, ",".join(MECHANISMS)])
def test_output_is_the_same_with_a_mechanism_off(
    off: str, tmp_path: Path, reference: dict[str, bytes]
) -> None:
    shutil.copytree(ROOT / "contracts", tmp_path / "contracts")
    (tmp_path / "pyproject.toml").write_text('[tool.contractgen]\ncontracts = "contracts"\n')
    for step in ("build", "build"):  # a build, then a no-op
        done = _run(tmp_path, off, step)
        assert done.returncode == 0, done.stderr
    _edit(tmp_path)
    done = _run(tmp_path, off, "build")
    assert done.returncode == 0, done.stderr
    assert _tree(tmp_path / "generated") == reference
    for args in (("build", "--check"), ("build", "--check", "--no-cache")):
        done = _run(tmp_path, off, *args)
        assert done.returncode == 0, (args, done.stderr)


def test_every_mechanism_the_code_asks_about_is_listed() -> None:
    asked = set()
    for path in (ROOT / "src" / "contractgen").rglob("*.py"):
        asked.update(re.findall(r'enabled\("([a-z-]+)"\)', path.read_text()))
    assert asked == set(MECHANISMS)


def test_every_mechanism_is_documented() -> None:
    table = (ROOT / "docs" / "build.md").read_text()
    assert set(re.findall(r"^\| `([a-z-]+)` \|", table, re.M)) == set(MECHANISMS)


def test_the_switch_reads_a_comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRACTGEN_SPEED_OFF", "parse-cache, two-cores")
    assert not enabled("parse-cache") and not enabled("two-cores")
    assert enabled("incremental")
    monkeypatch.delenv("CONTRACTGEN_SPEED_OFF")
    assert all(enabled(m) for m in MECHANISMS)


def test_an_unchanged_build_answers_before_the_command_line_is_imported(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "contracts", tmp_path / "contracts")
    (tmp_path / "pyproject.toml").write_text('[tool.contractgen]\ncontracts = "contracts"\n')
    assert _run(tmp_path, "", "build").returncode == 0
    quick = _run(tmp_path, "", "-X", "importtime", "-m", "contractgen", "build")
    assert quick.returncode == 0, quick.stderr
    assert "generated/ is up to date (inputs unchanged)" in quick.stderr
    assert "typer" not in quick.stderr and "pydantic" not in quick.stderr
    assert _run(tmp_path, "", "build", "--quiet").stderr == ""
    _edit(tmp_path)  # the quick answer's target is handed on to the full path
    edited = _run(tmp_path, "", "build")
    assert edited.returncode == 0 and "built" in edited.stderr, edited.stderr


def test_work_left_for_later_is_done_in_order_with_what_it_leaves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from contractgen.speed import forking

    monkeypatch.setenv("CONTRACTGEN_SPEED_OFF", "background")  # (done here, to watch)
    seen: list[str] = []
    forking.later(lambda: seen.append("removed a tree"))

    def write_state() -> None:
        seen.append("wrote the state")
        forking.later(lambda: seen.append("its old copy"))

    forking.later(write_state, first=True)
    forking.done()
    assert seen == ["wrote the state", "removed a tree", "its old copy"]
    forking.done()  # (nothing left)
    assert len(seen) == 3
