"""The golden cases of format 1.1, fed to their real consumers.

The golden test asserts that each case renders to its ``expected/`` tree; this
module checks that those trees work: the OpenAPI documents validate, the
GraphQL schema builds, the Python packages pass mypy --strict, import, and
carry the wire values and constraints the contracts say.
"""

from __future__ import annotations

import base64
import importlib
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from uuid import UUID

import pytest
import yaml
from graphql import build_schema
from openapi_spec_validator import validate
from pydantic import ValidationError

CASES = Path(__file__).resolve().parents[1] / "golden" / "cases"
FORMAT11 = ("scalars11", "names11")


def _expected(case: str) -> Path:
    return CASES / case / "expected"


def _packages(case: str) -> list[str]:
    return sorted(p.name for p in (_expected(case) / "python").iterdir() if p.is_dir())


def _import(case: str, name: str) -> ModuleType:
    root = _expected(case) / "python"
    for mod in [m for m in sys.modules if m.split(".")[0] in {name, "contractgen_runtime"}]:
        del sys.modules[mod]
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(root))


@pytest.mark.parametrize("case", FORMAT11)
def test_openapi_documents_validate(case: str) -> None:
    for path in sorted((_expected(case) / "openapi").rglob("*.yaml")):
        validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("case", FORMAT11)
def test_graphql_schema_builds(case: str) -> None:
    build_schema((_expected(case) / "graphql" / "schema.graphql").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", FORMAT11)
def test_python_passes_mypy_strict(case: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *_packages(case)],
        cwd=_expected(case) / "python",
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture
def ledger() -> Iterator[ModuleType]:
    yield _import("scalars11", "ledger")


@pytest.fixture
def inbox() -> Iterator[ModuleType]:
    yield _import("names11", "inbox_notifications")


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
