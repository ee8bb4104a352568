"""``contractgen diff`` end to end: git refs, folders, exit codes, every format."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contractgen.cli import app
from contractgen.diff import load_base

from .corpus import CASES_DIR

runner = CliRunner()


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), *args],
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
            "HOME": str(repo),
            "PATH": "/usr/bin:/bin",
        },
    )


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repo whose HEAD holds a case's old tree and whose work tree holds the new one."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "pyproject.toml").write_text("[tool.contractgen]\n", encoding="utf-8")
    shutil.copytree(CASES_DIR / "input_field_removed" / "old", repo / "contracts")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    monkeypatch.chdir(repo)
    return repo


def use_new(repo: Path, case: str) -> None:
    shutil.rmtree(repo / "contracts")
    shutil.copytree(CASES_DIR / case / "new", repo / "contracts")


def test_unchanged_tree_passes(repo: Path) -> None:
    result = runner.invoke(app, ["diff", "--against", "HEAD"])
    assert result.exit_code == 0, result.output
    assert "0 changes" in result.output
    assert "semver gate passed" in result.output


def test_git_ref_breaking_fails(repo: Path) -> None:
    use_new(repo, "input_field_removed")
    result = runner.invoke(app, ["diff", "--against", "HEAD"])
    assert result.exit_code == 1, result.output
    assert "field note removed without prior deprecation" in result.output
    assert "semver gate FAILED: 1 errors" in result.output
    # the base is read from git, not from the work tree
    assert "HEAD" not in result.output or "old contracts" not in result.output


def test_git_base_locations_name_the_tree(repo: Path) -> None:
    use_new(repo, "input_field_removed")
    base = load_base("HEAD", repo / "contracts")
    assert base.ok and base.spec is not None
    model = base.spec.models["CreateItemInput"]
    assert model.loc.file == "contracts/shop/item.create.yaml"
    assert len(base.spec.operations) == 3


def test_folder_base(repo: Path, tmp_path: Path) -> None:
    use_new(repo, "input_optional_field_added")
    old = tmp_path / "base"
    shutil.copytree(CASES_DIR / "input_optional_field_added" / "old", old)
    result = runner.invoke(app, ["diff", "--against", str(old)])
    assert result.exit_code == 0, result.output
    assert "optional field sku added" in result.output


def test_bad_ref_exits_2(repo: Path) -> None:
    result = runner.invoke(app, ["diff", "--against", "no-such-ref"])
    assert result.exit_code == 2
    assert "cannot read 'no-such-ref' from git" in result.output
    assert "does not load" in result.output


def test_broken_base_exits_2(repo: Path) -> None:
    (repo / "contracts" / "shop" / "models.yaml").write_text("kind: models\nbogus: 1\n")
    git(repo, "commit", "-q", "-am", "break")
    use_new(repo, "input_field_removed")
    result = runner.invoke(app, ["diff", "--against", "HEAD"])
    assert result.exit_code == 2
    assert "CG201" in result.output


def test_json_format(repo: Path) -> None:
    use_new(repo, "enum_value_added_output")
    result = runner.invoke(app, ["diff", "--against", "HEAD", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] is True
    (change,) = data["changes"]
    assert change["code"] == "enum.value-added"
    assert change["surfaces"] == {"rest": "dangerous", "graphql": "dangerous", "python": "safe"}
    assert change["old"].startswith("HEAD:contracts/shop/models.yaml:")  # the base's revision
    assert change["new"].startswith("contracts/shop/models.yaml:")
    assert change["gate"] == "notice"


def test_markdown_format(repo: Path) -> None:
    use_new(repo, "error_http_changed")
    result = runner.invoke(app, ["diff", "--against", "HEAD", "--format", "markdown"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "## Contract changes"
    assert "| Verdict | Change | Surfaces | Where | Gate |" in lines
    row = next(line for line in lines if line.startswith("| breaking"))
    assert "HTTP status 404 -> 410" in row and "error<br>" in row


def test_github_format(repo: Path) -> None:
    use_new(repo, "beta_breaking_is_warning")
    result = runner.invoke(app, ["diff", "--against", "HEAD", "--format", "github"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::warning file=contracts/shop/item.search.yaml,line=")
    assert "title=breaking field.removed" in lines[0]
    assert lines[-1].startswith("::notice title=contractgen diff::")
    use_new(repo, "input_field_removed")
    result = runner.invoke(app, ["diff", "--against", "HEAD", "--format", "github"])
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=contracts/shop/item.create.yaml")


def test_output_is_deterministic(repo: Path) -> None:
    use_new(repo, "shared_model_reaches_beta_and_stable")
    first = runner.invoke(app, ["diff", "--against", "HEAD", "--format", "json"]).stdout
    second = runner.invoke(app, ["diff", "--against", "HEAD", "--format", "json"]).stdout
    assert first == second
    assert json.loads(first)["changes"][0]["contracts"] == [
        {"contract": "item.create@1.0.0", "verdict": "breaking"},
        {"contract": "item.get@1.0.0", "verdict": "breaking"},
        {"contract": "item.search@1.0.0", "verdict": "breaking"},
    ]


def test_lines_moving_is_not_a_change(tmp_path: Path) -> None:
    """Inserting a line above examples shifts their positions; that is no change."""
    from contractgen.diff import compare
    from contractgen.load import load

    repo = Path(__file__).resolve().parents[2]
    old = tmp_path / "old" / "contracts"
    new = tmp_path / "new" / "contracts"
    shutil.copytree(repo / "contracts", old)
    shutil.copytree(repo / "contracts", new)
    record = new / "metering" / "usage.record.yaml"
    record.write_text("# a comment that moves every line down\n" + record.read_text())
    a, b = load(old), load(new)
    assert a.spec is not None and b.spec is not None
    assert compare(a.spec, b.spec) == []


def test_places_are_named_from_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Contracts below the repository's top (a monorepo): every format names files as
    they are from where the command runs, so annotations land on the right file."""
    repo = tmp_path / "mono"
    contracts = repo / "services" / "api" / "contracts"
    contracts.parent.mkdir(parents=True)
    (repo / "pyproject.toml").write_text(
        '[tool.contractgen]\ncontracts = "services/api/contracts"\n', encoding="utf-8"
    )
    shutil.copytree(CASES_DIR / "input_field_removed" / "old", contracts)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    shutil.rmtree(contracts)
    shutil.copytree(CASES_DIR / "input_field_removed" / "new", contracts)
    monkeypatch.chdir(repo)
    where = "services/api/contracts/shop/item.create.yaml"

    github = runner.invoke(app, ["diff", "--against", "HEAD", "--format", "github"]).stdout
    assert github.startswith(f"::error file={where},line=")
    text = runner.invoke(app, ["diff", "--against", "HEAD"]).stdout
    assert f"old HEAD:{where}:" in text and f", new {where}:" in text
    (change,) = json.loads(
        runner.invoke(app, ["diff", "--against", "HEAD", "--format", "json"]).stdout
    )["changes"]
    assert change["old"].startswith(f"HEAD:{where}:") and change["new"].startswith(f"{where}:")
    markdown = runner.invoke(app, ["diff", "--against", "HEAD", "--format", "markdown"]).stdout
    assert f"`{where}:" in markdown


def test_a_removed_contract_is_annotated_without_a_place(repo: Path) -> None:
    (repo / "contracts" / "shop" / "item.search.yaml").unlink()
    result = runner.invoke(app, ["diff", "--against", "HEAD", "--format", "github"])
    removed = [line for line in result.stdout.splitlines() if "item.search" in line]
    assert removed and all(line.startswith("::") and "file=" not in line for line in removed)
