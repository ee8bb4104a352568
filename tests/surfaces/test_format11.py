"""The golden cases of format 1.1, fed to their real consumers.

The golden test asserts that each case renders to its ``expected/`` tree; this
module checks that those trees work: the OpenAPI documents validate, the
GraphQL schema builds, the Python packages pass mypy --strict, import, and
carry the wire values and constraints the contracts say.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from uuid import UUID

import pytest
import yaml
from generated_packages import imported_from
from graphql import build_schema
from openapi_spec_validator import validate
from pydantic import ValidationError

CASES = Path(__file__).resolve().parents[1] / "golden" / "cases"
FORMAT11 = ("scalars11", "names11", "fields11", "answers")


def _expected(case: str) -> Path:
    return CASES / case / "expected"


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cases' Python packages, copied (imports and mypy leave caches behind)."""
    base = tmp_path_factory.mktemp("format11")
    for case in FORMAT11:
        shutil.copytree(_expected(case) / "python", base / case)
    return base


def _packages(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", FORMAT11)
def test_openapi_documents_validate(case: str) -> None:
    for path in sorted((_expected(case) / "openapi").rglob("*.yaml")):
        validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("case", FORMAT11)
def test_graphql_schema_builds(case: str) -> None:
    build_schema((_expected(case) / "graphql" / "schema.graphql").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", FORMAT11)
def test_python_passes_mypy_strict(case: str, copies: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *_packages(copies / case)],
        cwd=copies / case,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture
def ledger(copies: Path) -> Iterator[ModuleType]:
    with imported_from(copies / "scalars11", "ledger") as modules:
        yield modules["ledger"]


@pytest.fixture
def inbox(copies: Path) -> Iterator[ModuleType]:
    with imported_from(copies / "names11", "inbox_notifications") as modules:
        yield modules["inbox_notifications"]


def test_new_scalars_round_trip(ledger: ModuleType) -> None:
    wire = {
        "id": "123e4567-e89b-12d3-a456-426614174000",
        "amount": "12.50",
        "sequence": 2**62,
        "attachment": base64.b64encode(b"\x00\xffhello").decode(),
    }
    entry = ledger.Entry.model_validate(wire)
    assert entry.amount == Decimal("12.50")
    assert isinstance(entry.id, UUID)
    assert entry.attachment == b"\x00\xffhello"
    assert entry.model_dump(mode="json", exclude_none=True) == wire
    with pytest.raises(ValidationError):
        ledger.Entry.model_validate({**wire, "attachment": "not base64!"})
    with pytest.raises(ValidationError):
        ledger.Entry.model_validate({**wire, "id": "nope"})


def test_enum_values_are_the_wire_values(inbox: ModuleType) -> None:
    status = inbox.TaskStatus
    assert status.IN_PROGRESS.value == "in-progress"
    assert status.V2_BETA.value == "v2.beta"
    assert status.V_2FA.value == "2fa"
    assert status.PENDING.value == "PENDING"
    note = inbox.Notification.model_validate({"id": "n", "state": "unread", "task": "in-progress"})
    assert note.task is status.IN_PROGRESS
    assert note.model_dump(mode="json")["task"] == "in-progress"
    assert "Work has started." in (status.__doc__ or "")


def test_graphql_spells_enum_values_as_names() -> None:
    schema = build_schema(
        (_expected("names11") / "graphql" / "schema.graphql").read_text(encoding="utf-8")
    )
    task = schema.get_type("TaskStatus")
    values = task.values  # type: ignore[union-attr]
    assert set(values) == {"open", "in_progress", "started", "v2_beta", "PENDING", "_2fa", "null_"}
    assert values["started"].deprecation_reason == "Use in-progress"
    assert values["in_progress"].description == "Work has started"


def test_openapi_carries_enum_values_as_written() -> None:
    doc = yaml.safe_load((_expected("names11") / "openapi" / "openapi.yaml").read_text())
    schema = doc["components"]["schemas"]["TaskStatus"]
    assert schema["enum"] == ["open", "in-progress", "started", "v2.beta", "PENDING", "2fa", "null"]
    assert "`in-progress`: Work has started." in schema["description"]


@pytest.fixture
def orders(copies: Path) -> Iterator[ModuleType]:
    with imported_from(copies / "fields11", "orders") as modules:
        yield modules["orders"]


def test_defaults_fill_what_the_sender_left_out(orders: ModuleType) -> None:
    given = orders.ListOrdersInput.model_validate({})
    assert given.model_dump(mode="json", by_alias=True) == {
        "status": "open",
        "limit": 20,
        "cursor": None,
        "tags": [],
        "states": ["open", "in-progress"],
        "sequence": 0,
        "includeClosed": False,
    }
    assert given.states == [orders.OrderStatus.OPEN, orders.OrderStatus.IN_PROGRESS]
    assert orders.ListOrdersInput.model_validate({}).tags is not given.tags  # no shared list


@pytest.mark.parametrize(
    "bad",
    [
        {"limit": 0},
        {"limit": 101},
        {"cursor": ""},
        {"cursor": "x" * 201},
        {"tags": ["a", "a"]},
        {"tags": [str(i) for i in range(21)]},
        {"sequence": -1},
    ],
)
def test_input_constraints_are_enforced(orders: ModuleType, bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        orders.ListOrdersInput.model_validate(bad)


def test_item_and_map_constraints_are_enforced(orders: ModuleType) -> None:
    line = {"quantity": 1, "notes": {}}
    order = {
        "id": "123e4567-e89b-12d3-a456-426614174000",
        "status": "done",
        "sku": "AB-1",
        "total": "1.5",
        "counts": {"a": 0},
        "lines": [line],
    }
    assert orders.Order.model_validate(order).lines[0].notes == {}
    assert orders.OrderLine.model_validate({"quantity": 2}).notes == {"gift": "no"}
    changes: list[dict[str, object]] = [
        {"sku": "ab"},
        {"counts": {"a": -1}},
        {"lines": []},
        {"lines": [{**line, "quantity": 1001}]},
        {"lines": [{**line, "weight": 0}]},
        {"labels": ["not", "a", "map"]},
    ]
    for change in changes:
        with pytest.raises(ValidationError):
            orders.Order.model_validate({**order, **change})


def test_graphql_input_defaults_and_maps() -> None:
    schema = build_schema(
        (_expected("fields11") / "graphql" / "schema.graphql").read_text(encoding="utf-8")
    )
    fields = schema.get_type("ListOrdersInput").fields  # type: ignore[union-attr]
    assert fields["limit"].default_value == 20
    assert fields["states"].default_value == ["open", "in_progress"]
    assert "maximum: 100" in (fields["limit"].description or "")
    order = schema.get_type("Order").fields  # type: ignore[union-attr]
    assert str(order["labels"].type) == "JSONObject"
