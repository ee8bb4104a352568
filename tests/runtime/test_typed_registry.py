"""The generated registry is typed: a handler registered under the wrong operation is a
mypy error, and ``call`` returns the operation's output model."""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path

import pytest
from mypy import api

from .support import GENERATED

PROGRAM = """
from metering import (
    Context, GetMetricInput, MetricDefinition, RecordUsageInput, Registry, UsageRecord,
)


class Record:
    async def handle(self, input: RecordUsageInput, ctx: Context) -> UsageRecord:
        raise NotImplementedError


async def use(registry: Registry, value: RecordUsageInput, query: GetMetricInput) -> None:
    registry.register("usage.record", "1.0.0", Record())
    registry.register("metric.get", "1.0.0", Record())  # wrong: another operation's handler
    record = await registry.call("usage.record", "1.0.0", value, Context())
    reveal_type(record)
    await registry.call("usage.record", "1.0.0", query, Context())  # wrong: another's input
"""


def test_wrong_registration_and_wrong_input_are_type_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = tmp_path / "program.py"
    text = textwrap.dedent(PROGRAM).lstrip()
    program.write_text(text, encoding="utf-8")
    wrong = {n for n, line in enumerate(text.splitlines(), 1) if "# wrong" in line}
    monkeypatch.setenv("MYPYPATH", str(GENERATED / "python"))
    out, err, status = api.run(
        ["--strict", "--config-file", "", "--cache-dir", str(tmp_path / "cache"), str(program)]
    )
    lines = [line for line in out.splitlines() if line.startswith(str(program))]
    by_line = {int(line.split(":")[1]) for line in lines if ": error:" in line}
    assert by_line == wrong and len(wrong) == 2, out + err
    revealed = [line for line in lines if "Revealed type" in line]
    assert len(revealed) == 1 and "metering.models.UsageRecord" in revealed[0], out
    assert status == 1


def test_typed_call_runs_auth_handler_and_output_check() -> None:
    import metering

    from examples.metering_service import build_registry

    registry = build_registry()
    admin = metering.Context("a", "admin")
    define = metering.DefineMetricInput(key="k", name="K", unit="u")
    metric = asyncio.run(registry.call("metric.define", "1.0.0", define, admin))
    assert isinstance(metric, metering.MetricDefinition) and metric.key == "k"
    try:
        asyncio.run(registry.call("metric.define", "1.0.0", define, metering.Context()))
    except metering.UnauthenticatedError:
        pass
    else:  # pragma: no cover - the assertion's message
        raise AssertionError("an anonymous call of an admin operation must fail")
