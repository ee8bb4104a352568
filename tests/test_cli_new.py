"""``contractgen new`` in a tree whose domain folders exist: the file goes where
its key belongs, and the command says where and why."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contractgen.cli import app

BUNDLED = Path(__file__).resolve().parent.parent / "contracts"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(BUNDLED, tmp_path / "contracts")
    (tmp_path / "pyproject.toml").write_text('[tool.contractgen]\ncontracts = "contracts"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONTRACTGEN_NO_CACHE", "1")
    return tmp_path / "contracts"


def new(*args: str) -> str:
    result = CliRunner().invoke(app, ["new", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_an_operation_goes_beside_the_contracts_that_share_its_first_segment(tree: Path) -> None:
    out = new("usage.export")
    assert (tree / "metering" / "usage.export.yaml").is_file()
    assert not (tree / "usage").exists()
    assert "contracts/metering/usage.export.yaml" in out
    assert "also starts with 'usage'" in out
    assert "tags: [metering]" in (tree / "metering" / "usage.export.yaml").read_text()


def test_an_event_goes_where_its_domain_keeps_events(tree: Path) -> None:
    out = new("usage.exported", "--kind", "event")
    assert (tree / "metering" / "events" / "usage.exported.yaml").is_file()
    assert "events/usage." in out


def test_an_operation_whose_segment_only_events_share_goes_to_their_domain(tree: Path) -> None:
    out = new("model.choose")  # only the event model.selected starts with 'model'
    assert (tree / "metering" / "model.choose.yaml").is_file()
    assert "domain of 'model.selected'" in out


def test_a_domain_folder_named_by_the_first_segment(tree: Path) -> None:
    (tree / "reports").mkdir()
    out = new("reports.run")
    assert (tree / "reports" / "reports.run.yaml").is_file()
    assert "domain folder 'reports'" in out


def test_the_domain_given_wins_over_the_first_segment(tree: Path) -> None:
    out = new("metric.archive", "--domain", "archive")
    assert (tree / "archive" / "metric.archive.yaml").is_file()
    assert "as --domain says" in out


def test_a_new_domain_is_started_and_said_so(tree: Path) -> None:
    out = new("billing.charge")
    assert (tree / "billing" / "billing.charge.yaml").is_file()
    assert "new domain 'billing'" in out and "--domain" in out
