"""The build command end to end: write, no-op, edit, check, config, new, watch."""

from __future__ import annotations

import hashlib
import shutil
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contractgen.cli import app
from contractgen.watch import watch

CASE = Path(__file__).resolve().parent / "golden" / "cases" / "minimal" / "contracts"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(CASE, tmp_path / "contracts")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.contractgen]\ncontracts = "contracts"\noutput = "out"\n'
    )
    monkeypatch.chdir(tmp_path)
    # These tests exercise the local caches; CI runs them with CI=true set.
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("CONTRACTGEN_NO_CACHE", raising=False)
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_build_then_noop_then_edit(project: Path) -> None:
    code, out = run("build")
    assert code == 0, out
    assert (project / "out" / "openapi" / "openapi.yaml").is_file()
    assert (project / "out" / ".contractgen-manifest.json").is_file()
    code, out = run("build")
    assert code == 0 and "up to date" in out
    get = project / "contracts" / "shop" / "widget.get.yaml"
    get.write_text(get.read_text().replace("Reads one widget.", "Reads exactly one widget."))
    code, out = run("build")
    assert code == 0 and "written" in out and "up to date" not in out
    assert "Reads exactly one widget." in (project / "out" / "openapi" / "openapi.yaml").read_text()


def test_check_reports_stale_missing_orphaned(project: Path) -> None:
    assert run("build")[0] == 0
    code, out = run("build", "--check")
    assert code == 0 and "is current" in out
    spec = project / "out" / "openapi" / "openapi.yaml"
    spec.write_text(spec.read_text() + "# hand edit\n")
    (project / "out" / "graphql" / "schema.graphql").unlink()
    (project / "out" / "stray.md").write_text("x\n")
    code, out = run("build", "--check", "--diff")
    assert code == 1
    assert "stale: out/openapi/openapi.yaml" in out
    assert "missing: out/graphql/schema.graphql" in out
    assert "orphaned: out/stray.md" in out
    assert "-# hand edit" in out
    # check wrote nothing
    assert not (project / "out" / "graphql" / "schema.graphql").exists()


def test_check_reports_a_deleted_or_edited_manifest(project: Path) -> None:
    """The manifest is build output too: a check does not call the folder current
    without it, or with one the files do not make (the fast path included)."""
    assert run("build")[0] == 0
    manifest = project / "out" / ".contractgen-manifest.json"
    text = manifest.read_text()
    manifest.unlink()
    code, out = run("build", "--check")
    assert code == 1 and "missing: out/.contractgen-manifest.json" in out, out
    manifest.write_text(text.replace('"generator"', '"generated_by"'))
    code, out = run("build", "--check")
    assert code == 1 and "stale: out/.contractgen-manifest.json" in out, out
    manifest.write_text(text)
    code, out = run("build", "--check", "--no-cache")
    assert code == 0 and "is current" in out, out


def test_check_fails_when_a_contract_changes(project: Path) -> None:
    assert run("build")[0] == 0
    (project / "contracts" / "shop" / "widget.created.yaml").unlink()
    text = (project / "contracts" / "shop" / "widget.create.yaml").read_text()
    head = text.split("sideEffects:")[0]
    tail = text.split("examples:")[1]
    (project / "contracts" / "shop" / "widget.create.yaml").write_text(head + "examples:" + tail)
    code, out = run("build", "--check")
    assert code == 1 and "orphaned:" in out
    assert run("build")[0] == 0
    assert run("build", "--check", "--no-cache")[0] == 0
    assert not any("widget.created" in p.name for p in (project / "out").rglob("*"))


def test_invalid_contract_fails_build_and_writes_nothing(project: Path) -> None:
    bad = project / "contracts" / "shop" / "widget.get.yaml"
    bad.write_text(bad.read_text().replace("http: 404", "http: 200"))
    code, out = run("build")
    assert code == 1
    assert "widget.get.yaml:" in out and "error[CG208]" in out
    assert not (project / "out").exists()


def test_unknown_configuration_key_is_a_located_usage_error(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.contractgen]\ncontracts = "contracts"\noutptu = "out"\n'
    )
    code, out = run("build")
    assert code == 2
    assert "pyproject.toml:3:1: error[CG201]: unknown configuration key 'outptu'" in out
    assert "did you mean 'output'?" in out


def test_new_scaffolds_valid_contracts(project: Path) -> None:
    code, out = run("new", "widget.archive", "--kind", "command", "--domain", "shop")
    assert code == 0, out
    assert (project / "contracts" / "shop" / "widget.archive.yaml").is_file()
    code, out = run("new", "widget.archived", "--kind", "event", "--domain", "shop")
    assert code == 0, out
    assert run("validate")[0] == 0
    code, out = run("new", "widget.archive", "--domain", "shop")
    assert code == 1 and "already exists" in out
    assert run("new", "NotAKey")[0] == 2


def test_watch_rebuilds_after_a_settled_change(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("1")
    calls: list[float] = []
    done = threading.Event()

    def on_change() -> None:
        calls.append(time.monotonic())
        if len(calls) == 2:
            done.set()

    thread = threading.Thread(
        target=watch,
        args=([tmp_path], on_change),
        kwargs={"interval": 0.05, "debounce": 0.05, "stop": done.is_set},
        daemon=True,
    )
    thread.start()
    time.sleep(0.2)
    for i in range(3):  # a burst of saves gives one rebuild
        (tmp_path / "a.yaml").write_text(str(i) * (i + 2))
        time.sleep(0.01)
    assert done.wait(5)
    thread.join(5)
    assert len(calls) == 2


def test_user_template_override_replaces_builtin_by_name(project: Path) -> None:
    override = project / "tpl" / "graphql"
    override.mkdir(parents=True)
    builtin = Path(__file__).resolve().parents[1] / "templates" / "graphql"
    text = (builtin / "schema.graphql.jinja").read_text()
    (override / "schema.graphql.jinja").write_text("# team banner\n" + text)
    with (project / "pyproject.toml").open("a") as handle:
        handle.write('templates = "tpl"\n')
    code, out = run("build")
    assert code == 0, out
    assert (
        (project / "out" / "graphql" / "schema.graphql").read_text().startswith("# team banner\n")
    )


def test_template_making_invalid_output_fails_and_writes_nothing(project: Path) -> None:
    override = project / "tpl" / "graphql"
    override.mkdir(parents=True)
    (override / "schema.graphql.jinja").write_text("type Query {\n  broken: \n")
    with (project / "pyproject.toml").open("a") as handle:
        handle.write('templates = "tpl"\n')
    code, out = run("build")
    assert code == 1
    assert "error[CG601]: generated graphql/schema.graphql is invalid" in out
    assert "graphql/schema.graphql.jinja" in out
    assert not (project / "out").exists()


def test_template_syntax_error_is_located(project: Path) -> None:
    override = project / "tpl" / "openapi"
    override.mkdir(parents=True)
    (override / "document.yaml.jinja").write_text("line one\n{% if %}\n")
    with (project / "pyproject.toml").open("a") as handle:
        handle.write('templates = "tpl"\n')
    code, out = run("build")
    assert code == 1
    assert "error[CG602]: template error" in out and "document.yaml.jinja:2:1" in out
    assert not (project / "out").exists()


def test_build_against_a_git_ref_runs_the_breaking_change_gate(project: Path) -> None:
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
            cwd=project,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", "contracts", "pyproject.toml")
    git("commit", "-qm", "base")
    assert run("build", "--against", "HEAD")[0] == 0
    created = project / "contracts" / "shop" / "widget.create.yaml"
    # stable widget.create loses its required output field 'name' in Widget: breaking
    models = project / "contracts" / "shop" / "models.yaml"
    models.write_text(models.read_text().replace("      name: {type: NonEmptyString}\n", ""))
    created.write_text(
        created.read_text().replace(
            "output: {id: w_1, name: Lamp, color: RED}", "output: {id: w_1, color: RED}"
        )
    )
    before = (project / "out" / "openapi" / "openapi.yaml").read_text()
    code, out = run("build", "--against", "HEAD")
    assert code == 1
    assert "widget.create" in out and "build stopped" in out
    assert (project / "out" / "openapi" / "openapi.yaml").read_text() == before


def test_progress_shows_on_a_terminal_only(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from contractgen.cli import Progress

    code, out = run("build")  # CliRunner's stderr is no terminal: no progress line
    assert code == 0 and "contractgen: loading" not in out and "\r" not in out
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    progress = Progress(enabled=True)
    progress.step("loading contracts")
    progress.step("writing 3 files")
    progress.done()
    text = stream.getvalue()
    assert "\rcontractgen: loading contracts..." in text
    assert "\rcontractgen: writing 3 files..." in text
    assert text.endswith("\r")
    quiet = Progress(enabled=False)
    quiet.step("x")
    assert stream.getvalue() == text


def test_template_runtime_error_names_the_template_and_line(project: Path) -> None:
    override = project / "tpl" / "graphql"
    override.mkdir(parents=True)
    (override / "schema.graphql.jinja").write_text("{{ header }}\n{{ no_such_variable.x }}\n")
    with (project / "pyproject.toml").open("a") as handle:
        handle.write('templates = "tpl"\n')
    code, out = run("build")
    assert code == 1
    assert "schema.graphql.jinja:2:1: error[CG602]: template error:" in out
    assert "no_such_variable" in out
    assert not (project / "out").exists()


def test_in_ci_a_planted_cache_cannot_pass_a_stale_check(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache committed to the repository must not stand in for a real check."""
    assert run("build")[0] == 0
    assert run("build", "--check")[0] == 0  # the cache now vouches for this tree
    get = project / "contracts" / "shop" / "widget.get.yaml"
    get.write_text(get.read_text().replace("Reads one widget.", "Reads a widget."))
    # Forge the cache: claim the new inputs were built into the unchanged folder.
    from contractgen.speed.cache import BuildCache, build_target

    target = build_target(project, {})
    assert target is not None
    cache = BuildCache(target.base, target.output)
    forged = {
        p.relative_to(target.output).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in target.output.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }
    held = (target.output / ".contractgen-manifest.json").read_bytes()
    cache.store(target.key, forged, manifest=hashlib.sha256(held).hexdigest())
    assert run("build", "--check")[0] == 0  # locally the cache is trusted...
    monkeypatch.setenv("CI", "true")
    code, out = run("build", "--check")  # ...in CI it is not read at all
    assert code == 1 and "stale:" in out


def test_unknown_surface_on_the_command_line_is_named_as_such(project: Path) -> None:
    code, out = run("build", "--surface", "openapii")
    assert code == 2
    assert "command line (--surface): error[CG204]: unknown surface 'openapii'" in out
    assert "did you mean 'openapi'?" in out


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.mark.parametrize("incremental", [False, True])
def test_a_foreign_file_in_the_way_stops_the_build_untouched(
    project: Path, incremental: bool
) -> None:
    """A file the build did not write where it needs a folder (or a folder where it
    writes a file) is never deleted: the build names it and changes nothing."""
    assert run("build")[0] == 0
    out = project / "out"
    shutil.rmtree(out / "graphql")
    (out / "graphql").write_text("mine\n")
    if incremental:  # an edit, so that the incremental path meets the foreign file
        get = project / "contracts" / "shop" / "widget.get.yaml"
        get.write_text(get.read_text().replace("Reads one widget.", "Reads a widget."))
    before = _tree(out)
    code, text = run("build")
    assert code == 1
    assert "stands where the build writes a folder" in text and "out/graphql'" in text
    assert "Traceback" not in text
    assert _tree(out) == before

    (out / "graphql").unlink()
    assert run("build")[0] == 0
    (out / "openapi" / "openapi.yaml").unlink()
    (out / "openapi" / "openapi.yaml").mkdir()
    (out / "openapi" / "openapi.yaml" / "notes.txt").write_text("mine\n")
    before = _tree(out)
    code, text = run("build")
    assert code == 1 and "is a folder holding files contractgen did not write" in text
    assert _tree(out) == before


# -- command-line conventions ------------------------------------------------------


def test_version_and_flags_shown_as_typed() -> None:
    from contractgen import __version__

    code, out = run("--version")
    assert code == 0 and out.strip() == f"contractgen {__version__}"
    code, out = run("build", "--help")
    assert code == 0
    assert "<bool>" not in out and "--check " in out
    assert "--surface <surface>" in out and "--against <ref>" in out


def test_check_reports_in_json_and_github(project: Path) -> None:
    import json

    assert run("build")[0] == 0
    code, out = run("build", "--check", "--format", "json")
    assert code == 0 and json.loads(out)["current"] is True
    (project / "out" / "stray.md").write_text("x\n")
    spec = project / "out" / "openapi" / "openapi.yaml"
    spec.write_text(spec.read_text() + "# hand edit\n")
    result = CliRunner().invoke(app, ["build", "--check", "--format", "json", "--no-cache"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["current"] is False
    assert data["stale"] == ["openapi/openapi.yaml"] and data["orphaned"] == ["stray.md"]
    result = CliRunner().invoke(app, ["build", "--check", "--format", "github", "--no-cache"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("::error file=out/openapi/openapi.yaml::stale") for line in lines)
    assert any(line.startswith("::error file=out/stray.md::orphaned") for line in lines)


def test_each_piece_of_advice_fixes_what_it_names(project: Path) -> None:
    """Stale files: a build rewrites them. Orphans: a build keeps them, so the advice
    is to delete them, and after that the check passes."""
    assert run("build")[0] == 0
    stray = project / "out" / "stray.md"
    stray.write_text("x\n")
    code, out = run("build", "--check")
    assert code == 1 and "delete them" in out and "run 'contractgen build'" not in out
    assert run("build")[0] == 0 and run("build", "--check", "--no-cache")[0] == 1
    stray.unlink()
    assert run("build", "--check", "--no-cache")[0] == 0
    (project / "out" / "graphql" / "schema.graphql").unlink()
    code, out = run("build", "--check", "--no-cache")
    assert code == 1 and "run 'contractgen build'" in out and "delete" not in out
    assert run("build")[0] == 0 and run("build", "--check", "--no-cache")[0] == 0


def test_init_scaffolds_a_project_and_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tomllib

    import yaml

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI", raising=False)
    code, out = run("init", "--domain", "billing")
    assert code == 0, out
    table = tomllib.loads((tmp_path / "pyproject.toml").read_text())["tool"]["contractgen"]
    assert table["contracts"] == "contracts" and table["python"]["name"] == "billing-contracts"
    assert (tmp_path / "contracts" / "billing" / "billing.get.yaml").is_file()
    hooks = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())
    entries = [h["entry"] for r in hooks["repos"] for h in r["hooks"]]
    assert entries == ["contractgen validate", "contractgen build --check"]
    workflow = yaml.safe_load((tmp_path / ".github/workflows/contractgen.yml").read_text())
    steps = [s.get("run") for s in workflow["jobs"]["contractgen"]["steps"]]
    assert "contractgen build --check --format github" in steps
    # The workflow installs the contractgen that wrote it, and gates pull requests.
    from contractgen import __version__

    assert f'pip install "contractgen=={__version__}"' in steps
    gate = 'contractgen diff --against "origin/${{ github.base_ref }}" --format github'
    assert gate in steps
    # The scaffold is a project: it validates and builds.
    assert run("validate")[0] == 0
    assert (
        run("build")[0] == 0 and (tmp_path / "generated" / "python" / "py.typed").exists() is False
    )
    assert (tmp_path / "generated" / "python" / "billing" / "py.typed").is_file()

    # A second init changes nothing and names what is in the way.
    def snapshot() -> dict[Path, bytes]:
        files = [tmp_path / "pyproject.toml", *(tmp_path / "contracts").rglob("*")]
        files += [tmp_path / ".pre-commit-config.yaml", *(tmp_path / ".github").rglob("*")]
        return {p: p.read_bytes() for p in files if p.is_file()}

    before = snapshot()
    code, out = run("init", "--domain", "billing")
    assert code == 1 and "already has a [tool.contractgen] table" in out
    assert "contracts/billing/billing.get.yaml already exists" in out
    assert snapshot() == before


def test_init_appends_to_a_pyproject_without_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tomllib

    monkeypatch.chdir(tmp_path)
    original = '[project]\nname = "mine"\nversion = "1.0"\n'
    (tmp_path / "pyproject.toml").write_text(original)
    code, out = run("init")
    assert code == 0, out and "appended to pyproject.toml" in out
    text = (tmp_path / "pyproject.toml").read_text()
    assert text.startswith(original)
    data = tomllib.loads(text)
    assert data["project"]["name"] == "mine" and "contractgen" in data["tool"]
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / ".pre-commit-config.yaml").write_text("repos: []\n")
    code, out = run("init", "other")
    assert code == 1 and ".pre-commit-config.yaml already exists" in out
    assert not (tmp_path / "other" / "pyproject.toml").exists()


@pytest.mark.parametrize(
    ("origin", "command", "warns"),
    [
        (None, 'pip install "contractgen=={v}"', False),
        (
            {
                "url": "https://github.com/acme/contractgen",
                "vcs_info": {"vcs": "git", "commit_id": "abc123"},
            },
            'pip install "contractgen @ git+https://github.com/acme/contractgen@abc123"',
            False,
        ),
        (
            {"url": "file:///home/me/contractgen", "dir_info": {"editable": True}},
            'pip install "contractgen=={v}"',
            True,
        ),
        (
            {"url": "https://files.example/contractgen-0.1.0.tar.gz", "archive_info": {}},
            'pip install "contractgen @ https://files.example/contractgen-0.1.0.tar.gz"',
            False,
        ),
    ],
)
def test_init_installs_contractgen_in_ci_as_it_was_installed(
    monkeypatch: pytest.MonkeyPatch, origin: dict[str, object] | None, command: str, warns: bool
) -> None:
    """From an index: pinned; from git: at its commit; from an archive URL: that URL;
    from a folder on this machine, which CI cannot reach: pinned, with a warning."""
    from contractgen import __version__, init

    monkeypatch.setattr(init, "_direct_url", lambda: origin)
    found, warning = init.install_command()
    assert found == command.format(v=__version__)
    assert (warning is not None) == warns
    if warning:
        assert "CI cannot install from" in warning and "file:///home/me/contractgen" in warning
