"""The bundled contracts' output, fed to the linters users already run on their code.

- Python: ruff with its default rules and ``ruff format --check`` in a folder
  with no configuration of its own, mypy --strict, pyright in strict mode, and
  a wheel built from the generated pyproject.toml;
- OpenAPI: Spectral's ``spectral:oas`` and Redocly's ``recommended`` rules,
  no error and no warning;
- GraphQL: graphql-schema-linter with its rules, but for those on
  alphabetical order and Relay (docs/surfaces/graphql.md says why), no error.

The configurations are the files beside this one; the npm tools are pinned in
its package.json (see ``tools``).
"""

from __future__ import annotations

import json
import shutil
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from contractgen.config import load_config
from contractgen.load import load
from contractgen.surfaces import SURFACE_NAMES, Options, render_all

from .tools import HERE, npm_tool, python_tool, run

REPO = HERE.parents[1]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled contracts rendered with the bundled configuration, written out."""
    options = Options.from_config(load_config(REPO))
    root = tmp_path_factory.mktemp("consumers")
    cases = [(REPO / "contracts", root)]
    cases += [
        (REPO / "tests" / "golden" / "cases" / c / "contracts", root / c) for c in GOLDEN_CASES
    ]
    for contracts, into in cases:
        result = load(contracts)
        assert result.ok and result.spec is not None
        surfaces = SURFACE_NAMES if into == root else ("openapi",)
        for f in render_all(result.spec, options, surfaces):
            target = into / f.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f.content, encoding="utf-8")
    return root


#: Golden cases rendered and linted beside the bundled contracts, with the bundled
#: configuration (features the bundled contracts do not use), each into a folder of its name.
GOLDEN_CASES = ("answers",)


def _openapi_documents(out: Path) -> list[Path]:
    folder = out / "openapi"
    golden = [out / case / "openapi" / "openapi.yaml" for case in GOLDEN_CASES]
    return [folder / "openapi.yaml", *sorted((folder / "operations").glob("*.yaml")), *golden]


# -- OpenAPI ----------------------------------------------------------------------------


def test_spectral_oas_finds_nothing(out: Path, tmp_path: Path) -> None:
    spectral = npm_tool("spectral")
    ruleset, report = HERE / ".spectral.yaml", tmp_path / "spectral.json"
    args: list[str | Path] = ["lint", "--ruleset", ruleset, "--format", "json", "--output", report]
    proc = run([spectral, *args, "--fail-severity", "hint", *_openapi_documents(out)], out)
    assert report.is_file(), proc.stdout + proc.stderr
    found = [(r["code"], r["path"], r["message"]) for r in json.loads(report.read_text())]
    assert found == [] and proc.returncode == 0, found or proc.stdout + proc.stderr


def test_redocly_recommended_finds_nothing(out: Path) -> None:
    redocly = npm_tool("redocly")
    config = HERE / "redocly.yaml"
    args: list[str | Path] = ["lint", "--config", config, "--format", "json"]
    proc = run([redocly, *args, *_openapi_documents(out)], out)
    reports = _json_stream(proc.stdout)
    assert len(reports) == len(_openapi_documents(out)), proc.stdout + proc.stderr
    problems = [(p["ruleId"], p["severity"], p["message"]) for r in reports for p in r["problems"]]
    assert problems == [] and proc.returncode == 0, problems or proc.stderr


def _json_stream(text: str) -> list[Any]:
    """The JSON values written one after another (Redocly writes one per document)."""
    decoder, values, at = json.JSONDecoder(), [], 0
    while text[at:].strip():
        at += len(text[at:]) - len(text[at:].lstrip())
        value, at = decoder.raw_decode(text, at)
        values.append(value)
    return values


# -- GraphQL ----------------------------------------------------------------------------


def test_graphql_schema_linter_finds_nothing(out: Path) -> None:
    linter = npm_tool("graphql-schema-linter")
    schema = out / "graphql" / "schema.graphql"
    args: list[str | Path] = ["--config-directory", HERE, "--format", "json", schema]
    proc = run([linter, *args], out)
    errors = json.loads(proc.stdout)["errors"]
    assert errors == [] and proc.returncode == 0, errors or proc.stderr


def test_graphql_linter_configuration_leaves_out_only_order_and_relay() -> None:
    """The bundled configuration enables every rule of the linter but those two kinds."""
    rules_dir = HERE / "node_modules" / "graphql-schema-linter" / "lib" / "rules"
    if not rules_dir.is_dir():
        npm_tool("graphql-schema-linter")  # fails in CI, skips elsewhere
    every = {p.stem.replace("_", "-") for p in rules_dir.glob("*.js")}
    enabled = set(json.loads((HERE / "package.json").read_text())["graphql-schema-linter"]["rules"])
    left_out = every - enabled
    assert enabled <= every
    assert left_out and all("alphabetically" in r or r.startswith("relay-") for r in left_out)


# -- Python -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def python_tree(out: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated Python tree, alone in a folder with no configuration of its own."""
    tree = tmp_path_factory.mktemp("python") / "python"
    shutil.copytree(out / "python", tree)
    return tree


def test_ruff_default_rules_and_format(python_tree: Path) -> None:
    check = python_tool("ruff", "check", "--isolated", "--no-cache", ".", cwd=python_tree)
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = python_tool(
        "ruff", "format", "--isolated", "--no-cache", "--check", "--diff", ".", cwd=python_tree
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_mypy_strict(python_tree: Path) -> None:
    packages = sorted(p.name for p in python_tree.iterdir() if p.is_dir())
    proc = python_tool(
        "mypy", "--strict", "--no-incremental", "--config-file", "", *packages, cwd=python_tree
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pyright_strict(python_tree: Path) -> None:
    pyright = npm_tool("pyright")
    config = {"typeCheckingMode": "strict", "pythonVersion": "3.11"}
    (python_tree / "pyrightconfig.json").write_text(json.dumps(config))
    try:
        proc = run([pyright, "--outputjson", "--pythonpath", sys.executable], python_tree)
    finally:
        (python_tree / "pyrightconfig.json").unlink()
    report = json.loads(proc.stdout)
    found = [
        f"{d['file']}:{d['range']['start']['line'] + 1}: {d['message']}"
        for d in report["generalDiagnostics"]
    ]
    assert found == [] and proc.returncode == 0, found or proc.stderr
    assert report["summary"]["filesAnalyzed"] >= 11


def test_the_tree_builds_a_typed_wheel(python_tree: Path, tmp_path: Path) -> None:
    """pip builds a wheel named and versioned by the configuration, with py.typed."""
    proc = python_tool("pip", "wheel", "--no-deps", "--quiet", "-w", tmp_path, ".", cwd=python_tree)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    python = load_config(REPO).settings.python
    wheel = next(tmp_path.glob("*.whl"))
    assert wheel.name.startswith(f"{python.name.replace('-', '_')}-{python.version}-")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"metering/py.typed", "contractgen_runtime/py.typed", "metering/models.py"} <= names
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "Requires-Dist: pydantic" in text
