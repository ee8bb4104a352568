"""The benchmark's synthetic tree is valid and has the promised shape."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from contractgen.load import load


def test_synthetic_tree_validates(repo_root: Path, tmp_path: Path) -> None:
    spec_file = repo_root / "benchmarks" / "synth.py"
    module_spec = importlib.util.spec_from_file_location("bench_synth", spec_file)
    assert module_spec is not None and module_spec.loader is not None
    synth = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(synth)
    contracts = synth.write_tree(tmp_path, 30)
    result = load(contracts)
    assert result.ok, result.diagnostics[:5]
    spec = result.spec
    assert spec is not None
    assert len(spec.operations) == 30
    assert spec.domains == ("d000", "d001", "d002")
    assert len({o.key for o in spec.operations}) == 30
    op = next(o for o in spec.operations if o.key == "usage1.record")
    assert len(spec.model(op.input or "").fields) == 8
    out = spec.model(op.output or "")
    assert len(out.fields) == 10
    items = out.field("items")
    assert items is not None and items.array and items.type.kind == "model"
    assert 1 <= len(op.errors) <= 2
    assert [e.event for e in op.emits] == ["usage1.recorded", "usage1.exceeded"]
    assert any(o.examples for o in spec.operations)
