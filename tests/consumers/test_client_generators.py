"""The bundled OpenAPI document, fed to the client generators users run on it.

- openapi-python-client (test extras) generates a client with no warning, and
  every declared error response of every operation becomes a typed model;
- openapi-typescript (npm) writes types that TypeScript (npm) compiles under
  ``--strict``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
import yaml

from contractgen.config import load_config
from contractgen.load import load
from contractgen.surfaces import Options, render_all

from .tools import HERE, npm_tool, run

REPO = HERE.parents[1]


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The merged OpenAPI document of the bundled contracts, written out."""
    result = load(REPO / "contracts")
    assert result.ok and result.spec is not None
    options = Options.from_config(load_config(REPO))
    files = render_all(result.spec, options, ["openapi"])
    (merged,) = [f for f in files if f.path == "openapi/openapi.yaml"]
    path = tmp_path_factory.mktemp("clients") / "openapi.yaml"
    path.write_text(merged.content, encoding="utf-8")
    return path


def _declared(document: Path) -> dict[str, set[str]]:
    """operationId -> the problem schemas its error responses name (oneOf members too)."""
    doc = yaml.safe_load(document.read_text(encoding="utf-8"))
    responses = doc["components"]["responses"]
    found: dict[str, set[str]] = {}
    for item in doc["paths"].values():
        for op in item.values():
            names: set[str] = set()
            for status, response in op["responses"].items():
                if not status.startswith(("4", "5")):
                    continue
                if "$ref" in response:
                    response = responses[response["$ref"].rsplit("/", 1)[1]]
                schema = response["content"]["application/problem+json"]["schema"]
                for ref in [schema, *schema.get("oneOf", [])]:
                    if "$ref" in ref:
                        names.add(ref["$ref"].rsplit("/", 1)[1])
            found[op["operationId"]] = names
    return found


def test_openapi_python_client_types_every_error(document: Path, tmp_path: Path) -> None:
    tool = Path(sys.executable).parent / "openapi-python-client"
    if not tool.is_file():
        pytest.skip("openapi-python-client is not installed: pip install -e '.[test]'")
    args: list[str | Path] = ["generate", "--path", document, "--meta", "none"]
    proc = run([tool, *args, "--output-path", tmp_path / "client", "--fail-on-warning"], tmp_path)
    assert proc.returncode == 0 and "Warning" not in proc.stdout, proc.stdout + proc.stderr
    modules = {p.stem: p for p in (tmp_path / "client" / "api").rglob("*.py")}
    for operation_id, problems in _declared(document).items():
        module = modules[_snake(operation_id)]
        imported = {
            alias.name
            for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
        }
        assert problems and problems <= imported, (operation_id, problems - imported)


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def test_openapi_typescript_output_compiles_under_strict(document: Path, tmp_path: Path) -> None:
    generator, tsc = npm_tool("openapi-typescript"), npm_tool("tsc")
    types = tmp_path / "api.ts"
    proc = run([generator, document, "--output", types], tmp_path)
    assert proc.returncode == 0 and types.is_file(), proc.stdout + proc.stderr
    assert "MetricNotFoundProblem" in types.read_text(encoding="utf-8")
    flags = ["--strict", "--noEmit", "--target", "es2022", "--module", "es2022"]
    proc = run([tsc, *flags, types], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
