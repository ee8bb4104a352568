"""The loader and spec model on the bundled metering contracts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from contractgen.load import load
from contractgen.spec import SCALARS, Field, Model, Operation, Spec


@pytest.fixture(scope="module")
def spec(bundled_contracts: Path) -> Spec:
    result = load(bundled_contracts)
    assert result.ok, result.diagnostics
    assert result.diagnostics == []
    assert result.spec is not None
    return result.spec


def _op(spec: Spec, key: str) -> Operation:
    (op,) = [o for o in spec.operations if o.key == key]
    return op


def _fields(spec: Spec) -> Iterator[tuple[Model, Field]]:
    """Every field of the spec, with its model."""
    for m in spec.models.values():
        for f in m.fields:
            yield m, f


def _line(repo_root: Path, file: str, line: int) -> str:
    return (repo_root / file).read_text(encoding="utf-8").splitlines()[line - 1]


def test_counts(spec: Spec) -> None:
    assert len(spec.operations) == 13
    assert len(spec.events) == 9
    assert len(spec.models) == 32
    assert len(spec.enums) == 4
    assert spec.root == "contracts"
    assert spec.domains == ("metering",)
    assert {o.domain for o in spec.operations} == {"metering"}


def test_operations_sorted_and_kinds(spec: Spec) -> None:
    keys = [o.key for o in spec.operations]
    assert keys == sorted(keys)
    queries = {o.key for o in spec.operations if o.kind == "query"}
    assert queries == {
        "metric.get",
        "metric.list",
        "threshold.list",
        "usage.get",
        "usage.getSummary",
    }
    for o in spec.operations:
        assert o.policy.idempotent is (o.kind == "query")


def test_usage_record_meta_matches_seed(spec: Spec) -> None:
    # /work/shared/design/seed-usage.record.txt: the ContractSpec definition.
    op = _op(spec, "usage.record")
    assert op.kind == "command"
    m = op.meta
    assert m.key == "usage.record"
    assert m.version == "1.0.0"
    assert m.major == 1
    assert m.stability == "stable"
    assert m.owners == ("platform.metering",)
    assert m.tags == ("metering", "usage", "record")
    assert m.description == "Record a usage event."
    assert m.goal == "Track usage for billing and monitoring."
    assert m.context == "Called when usage occurs."
    assert op.input == "RecordUsageInput"
    assert op.output == "UsageRecord"
    assert op.policy.auth == "admin"
    assert op.id == "usage.record@1.0.0"
    errors = {e.code: e for e in op.errors}
    assert sorted(errors) == ["DUPLICATE_RECORD", "METRIC_NOT_FOUND"]
    nf = errors["METRIC_NOT_FOUND"]
    assert (nf.description, nf.http, nf.gql_code, nf.when) == (
        "Metric does not exist",
        404,
        "METRIC_NOT_FOUND",
        "Metric key is invalid",
    )
    dup = errors["DUPLICATE_RECORD"]
    assert (dup.description, dup.http, dup.gql_code, dup.when) == (
        "Record already exists",
        409,
        "DUPLICATE_RECORD",
        "Idempotency key already used",
    )
    assert op.file == "contracts/metering/usage.record.yaml"
    assert op.source.startswith("kind: command\n")


def test_type_refs_resolved(spec: Spec) -> None:
    fields = {f.name: f for f in spec.model("RecordUsageInput").fields}
    assert fields["metricKey"].type.kind == "scalar"
    assert fields["metricKey"].type.name == "String_unsecure"
    assert fields["quantity"].type.name == "Float_unsecure"
    assert fields["timestamp"].type.name == "DateTime"
    assert fields["metadata"].type.name == "JSON"
    assert fields["timestamp"].optional
    assert not fields["metricKey"].optional
    batch = spec.model("RecordUsageBatchInput").field("records")
    assert batch is not None
    assert (batch.type.kind, batch.type.name, batch.array) == ("model", "RecordUsageInput", True)
    agg = spec.model("DefineMetricInput").field("aggregationType")
    assert agg is not None
    assert (agg.type.kind, agg.type.name) == ("enum", "AggregationType")
    assert spec.enum("AggregationType").values == ("COUNT", "SUM", "AVG", "MAX", "MIN", "LAST")
    for _, f in _fields(spec):
        if f.type.kind == "scalar":
            assert f.type.name in SCALARS
            assert f.type.scalar.name == f.type.name
        elif f.type.kind == "model":
            assert f.type.name in spec.models
        else:
            assert f.type.name in spec.enums


def test_every_reference_resolves(spec: Spec) -> None:
    for o in spec.operations:
        assert o.input is None or o.input in spec.models
        assert o.output in spec.models
    for e in spec.events:
        assert e.payload in spec.models


def test_emits_resolve(spec: Spec) -> None:
    op = _op(spec, "usage.record")
    assert [(e.event, e.version) for e in op.emits] == [
        ("usage.recorded", "1.0.0"),
        ("threshold.approaching", "1.0.0"),
        ("threshold.exceeded", "1.0.0"),
    ]
    for o in spec.operations:
        for emit in o.emits:
            assert spec.event(emit.event, emit.version) is not None
    assert spec.event("usage.recorded", "9.9.9") is None


def test_closure_and_domain_types(spec: Spec) -> None:
    assert spec.closure(["RecordUsageBatchInput"]) == (
        ["RecordUsageBatchInput", "RecordUsageInput"],
        [],
    )
    models, enums = spec.closure(["DefineMetricInput"])
    assert models == ["DefineMetricInput"]
    assert enums == ["AggregationType", "ResetPeriod"]
    assert spec.closure(["NoSuchModel"]) == ([], [])
    models, enums = spec.domain_types("metering")
    assert models == sorted(spec.models)
    assert enums == sorted(spec.enums)
    assert spec.domain_types("elsewhere") == ([], [])
    assert spec.roots_of(_op(spec, "usage.record")) == ["RecordUsageInput", "UsageRecord"]


def test_examples(spec: Spec) -> None:
    with_examples = [o.key for o in spec.operations if o.examples]
    assert len(with_examples) >= 2
    ex = _op(spec, "usage.record").examples[0]
    assert ex.name == "single API call"
    assert ex.input["metricKey"] == "api_calls"
    assert ex.output["timestamp"] == "2026-01-15T10:00:00Z"


def test_locations_point_at_the_yaml(spec: Spec, repo_root: Path) -> None:
    for model, f in _fields(spec):
        text = _line(repo_root, f.loc.file, f.loc.line)
        assert text[f.loc.col - 1 :].startswith(f"{f.name}:"), (model.name, f.name, text)
    for m in spec.models.values():
        text = _line(repo_root, m.loc.file, m.loc.line)
        assert text[m.loc.col - 1 :].startswith(f"{m.name}:")
    for e in spec.enums.values():
        assert _line(repo_root, e.loc.file, e.loc.line).strip() == f"{e.name}:"
    for o in spec.operations:
        assert o.meta.loc.file == o.file
        assert _line(repo_root, o.file, o.meta.loc.line).strip() == f"key: {o.key}"
        for err in o.errors:
            assert _line(repo_root, o.file, err.loc.line).strip() == f"{err.code}:"
        for emit in o.emits:
            assert _line(repo_root, o.file, emit.loc.line).strip() == f"- event: {emit.event}"
        for ex in o.examples:
            assert _line(repo_root, o.file, ex.loc.line).strip() == f"- name: {ex.name}"


def test_spec_is_frozen(spec: Spec) -> None:
    from pydantic import ValidationError

    op = spec.operations[0]
    with pytest.raises(ValidationError):
        op.meta.key = "other.key"  # type: ignore[misc]


def test_load_is_deterministic(bundled_contracts: Path) -> None:
    first = load(bundled_contracts).spec
    second = load(bundled_contracts).spec
    assert first is not None and second is not None
    assert first.model_dump_json() == second.model_dump_json()
