"""Format 1.1 operation keys and unions, checked through the golden cases' real output:
the OpenAPI documents by openapi-spec-validator, the SDL by graphql-core, the Python
packages by import, mypy --strict and a real dispatch."""

from __future__ import annotations

import asyncio
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
from generated_packages import imported_from
from graphql import build_schema
from openapi_spec_validator import validate

CASES = Path(__file__).resolve().parents[1] / "golden" / "cases"
#: The golden cases that use the 1.1 keys of this part of the format.
FORMAT_CASES = ("operations", "unions")


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
    with imported_from(_python_copy("operations", tmp_path_factory.mktemp("py")), "orders") as m:
        yield m["orders"]


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


# -- unions ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with imported_from(_python_copy("unions", tmp_path_factory.mktemp("py")), "pay") as m:
        yield m["pay"]


def test_the_tag_chooses_the_member(pay: ModuleType) -> None:
    card = pay.CreatePaymentInput.model_validate({"method": {"kind": "card", "last4": "4242"}})
    assert isinstance(card.method, pay.CardPayment)
    bank = pay.Payment.model_validate(
        {
            "paymentId": "p",
            "method": {"kind": "bank_transfer", "iban": "DE1"},
            "refunds": [{"kind": "voucher", "code": "V"}, {"kind": "card", "last4": "1"}],
        }
    )
    assert isinstance(bank.method, pay.BankTransfer)
    assert [type(r) for r in bank.refunds] == [pay.Voucher, pay.CardPayment]
    dumped = bank.model_dump(by_alias=True, exclude_none=True)
    assert dumped["method"] == {"kind": "bank_transfer", "iban": "DE1"}


@pytest.mark.parametrize(
    "method",
    [
        {"kind": "cash", "last4": "4242"},  # a tag no member has
        {"last4": "4242"},  # no tag
        {"kind": "voucher", "code": "V"},  # a member of another union
        {"kind": "card", "iban": "DE1"},  # the tag's member does not fit
    ],
)
def test_a_payload_whose_tag_names_no_member_is_refused(pay: ModuleType, method: Any) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        pay.CreatePaymentInput.model_validate({"method": method})


def test_a_member_model_holds_only_its_tag(pay: ModuleType) -> None:
    from pydantic import ValidationError

    assert pay.CardPayment(kind="card", last4="1").kind == "card"
    with pytest.raises(ValidationError):
        pay.CardPayment.model_validate({"kind": "voucher", "last4": "1"})


def test_openapi_union_has_one_of_a_discriminator_and_its_mapping() -> None:
    from jsonschema import Draft202012Validator

    doc = _openapi("unions")
    schemas = doc["components"]["schemas"]
    method = schemas["PaymentMethod"]
    assert method["discriminator"] == {
        "propertyName": "kind",
        "mapping": {
            "card": "#/components/schemas/CardPayment",
            "bank_transfer": "#/components/schemas/BankTransfer",
        },
    }
    assert schemas["CardPayment"]["properties"]["kind"]["const"] == "card"
    # The const makes oneOf exact for a plain JSON Schema validator too.
    root = {"$ref": "#/components/schemas/PaymentMethod", "components": doc["components"]}
    validator = Draft202012Validator(root)
    assert validator.is_valid({"kind": "card", "last4": "4242"})
    assert not validator.is_valid({"kind": "cash", "last4": "4242"})
    assert not validator.is_valid({"kind": "card", "iban": "x"})


def test_graphql_union_for_output_and_one_of_input() -> None:
    from graphql import GraphQLInputObjectType, GraphQLUnionType

    schema = build_schema((_expected("unions") / "graphql" / "schema.graphql").read_text())
    output = schema.type_map["PaymentMethod"]
    assert isinstance(output, GraphQLUnionType)
    assert [t.name for t in output.types] == ["CardPayment", "BankTransfer"]
    given = schema.type_map["PaymentMethodInput"]
    assert isinstance(given, GraphQLInputObjectType) and given.is_one_of
    assert set(given.fields) == {"card", "bank_transfer"}
    assert all(not str(f.type).endswith("!") for f in given.fields.values())


def test_the_datamodel_code_generator_engine_writes_the_same_unions(tmp_path: Path) -> None:
    from pydantic import ValidationError

    from contractgen.config import PythonOptions
    from contractgen.load import load
    from contractgen.surfaces import Options
    from contractgen.surfaces.python import render

    spec = load(CASES / "unions" / "contracts").spec
    assert spec is not None
    engine = PythonOptions.model_validate({"models-engine": "datamodel-code-generator"})
    for f in render(spec, Options(python=engine)):
        target = tmp_path / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f.content, encoding="utf-8")
    with imported_from(tmp_path / "python", "pay") as modules:
        pay = modules["pay"]
        value = pay.Payment.model_validate(
            {
                "paymentId": "p",
                "method": {"kind": "card", "last4": "1"},
                "receipt": {"format": "pdf", "url": "u"},
            }
        )
        assert isinstance(value.method, pay.CardPayment)
        with pytest.raises(ValidationError):
            pay.CreatePaymentInput.model_validate({"method": {"kind": "cash", "last4": "1"}})
