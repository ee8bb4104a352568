"""Format 1.1 operation keys and unions, checked through the golden cases' real output:
the OpenAPI documents by openapi-spec-validator, the SDL by graphql-core, the Python
packages by import, mypy --strict and a real dispatch."""

from __future__ import annotations

import asyncio
import importlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from graphql import build_schema
from openapi_spec_validator import validate

CASES = Path(__file__).resolve().parents[1] / "golden" / "cases"
#: The golden cases that use the 1.1 keys of this part of the format.
FORMAT_CASES = ("operations",)


def _expected(case: str) -> Path:
    return CASES / case / "expected"


def _openapi(case: str, name: str = "openapi.yaml") -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((_expected(case) / "openapi" / name).read_text())
    return doc


def _operation(doc: dict[str, Any], operation_id: str) -> dict[str, Any]:
    for item in doc["paths"].values():
        for op in item.values():
            if op["operationId"] == operation_id:
                found: dict[str, Any] = op
                return found
    raise AssertionError(f"no operation {operation_id}")


@pytest.mark.parametrize("case", FORMAT_CASES)
def test_every_openapi_document_validates(case: str) -> None:
    folder = _expected(case) / "openapi"
    for path in sorted(folder.rglob("*.yaml")):
        validate(yaml.safe_load(path.read_text()))


@pytest.mark.parametrize("case", FORMAT_CASES)
def test_every_sdl_builds(case: str) -> None:
    folder = _expected(case) / "graphql"
    build_schema((folder / "schema.graphql").read_text())
    base = (folder / "base.graphql").read_text()
    for fragment in sorted((folder / "operations").glob("*.graphql")):
        build_schema(base + "\n" + fragment.read_text())


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": ""}
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, env=env
    )


def _python_copy(case: str, tmp: Path) -> Path:
    """A copy of a case's Python output (mypy and imports write caches beside it)."""
    target = tmp / case
    shutil.copytree(_expected(case) / "python", target)
    return target


@pytest.mark.parametrize("case", FORMAT_CASES)
def test_python_passes_mypy_strict(case: str, tmp_path: Path) -> None:
    folder = _python_copy(case, tmp_path)
    packages = sorted(p.name for p in folder.iterdir() if p.is_dir())
    proc = _run(["mypy", "--strict", "--no-incremental", *packages], folder)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _fresh_import(root: Path, name: str) -> ModuleType:
    for mod in [
        m for m in sys.modules if m == name or m.split(".")[0] in (name, "contractgen_runtime")
    ]:
        del sys.modules[mod]
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(root))


# -- success statuses and headers ---------------------------------------------------


def test_success_status_is_the_written_one() -> None:
    doc = _openapi("operations")
    first = {op: min(_operation(doc, op)["responses"]) for op in ("orderPlace", "orderSubmit")}
    assert first == {"orderPlace": "201", "orderSubmit": "202"}
    assert min(_operation(doc, "orderGet")["responses"]) == "200"


def test_header_fields_are_header_parameters_and_leave_the_body() -> None:
    place = _operation(_openapi("operations"), "orderPlace")
    headers = {p["name"]: p for p in place["parameters"] if p["in"] == "header"}
    assert set(headers) == {"Idempotency-Key", "X-Tenant"}
    assert headers["Idempotency-Key"]["required"] is True
    assert headers["X-Tenant"]["required"] is False
    assert headers["Idempotency-Key"]["examples"]["one-lamp"]["value"] == "k-1"
    body = place["requestBody"]["content"]["application/json"]
    assert set(body["schema"]["properties"]) == {"sku", "quantity"}
    assert body["schema"]["required"] == ["sku", "quantity"]
    assert body["examples"]["one-lamp"]["value"] == {"sku": "LAMP-1", "quantity": 1}


def test_a_query_header_is_not_a_query_parameter() -> None:
    get = _operation(_openapi("operations"), "orderGet")
    where = {p["name"]: p["in"] for p in get["parameters"]}
    assert where == {"orderId": "path", "X-Tenant": "header", "expand": "query"}
    assert [p["in"] for p in get["parameters"]] == ["path", "header", "query"]


@pytest.fixture(scope="module")
def orders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield _fresh_import(_python_copy("operations", tmp_path_factory.mktemp("py")), "orders")


def test_header_fields_stay_fields_of_the_python_input(orders: ModuleType) -> None:
    value = orders.PlaceOrderInput.model_validate(
        {"idempotencyKey": "k", "sku": "A", "quantity": 1}
    )
    assert value.idempotency_key == "k"
    assert value.tenant is None


# -- commands without output ----------------------------------------------------------


def test_a_command_without_output_answers_204_without_a_body() -> None:
    doc = _openapi("operations")
    cancel = _operation(doc, "orderCancel")
    assert "content" not in cancel["responses"]["204"]
    assert "200" not in cancel["responses"]
    archive = _operation(doc, "orderArchive")  # status 202 written, still no body
    assert min(archive["responses"]) == "202" and "content" not in archive["responses"]["202"]


def test_a_command_without_output_is_a_boolean_field() -> None:
    schema = build_schema((_expected("operations") / "graphql" / "schema.graphql").read_text())
    mutation = schema.mutation_type
    assert mutation is not None
    assert str(mutation.fields["orderCancel"].type) == "Boolean!"
    assert str(mutation.fields["orderArchive"].type) == "Boolean!"
    assert "Returns true" in (mutation.fields["orderCancel"].description or "")


def test_dispatch_of_a_command_without_output_returns_none(orders: ModuleType) -> None:
    seen: list[Any] = []

    class Cancel:
        async def handle(self, input: Any, ctx: Any) -> None:
            seen.append(input.order_id)

    registry = orders.Registry()
    registry.register("order.cancel", "1.0.0", Cancel())
    ctx = orders.Context(subject_id="u_1", auth="user")
    result = asyncio.run(registry.dispatch("order.cancel", "1.0.0", {"orderId": "o_1"}, ctx))
    assert result is None and seen == ["o_1"]


def test_a_handler_returning_a_value_for_no_output_is_refused(orders: ModuleType) -> None:
    class Wrong:
        async def handle(self, input: Any, ctx: Any) -> Any:
            return orders.Order(orderId="o", sku="s", quantity=1)

    registry = orders.Registry()
    registry.register("order.cancel", "1.0.0", Wrong())
    ctx = orders.Context(subject_id="u_1", auth="user")
    with pytest.raises(orders.ContractError, match="not None"):
        asyncio.run(registry.dispatch("order.cancel", "1.0.0", {"orderId": "o_1"}, ctx))
