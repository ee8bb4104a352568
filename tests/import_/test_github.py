"""GitHub's REST API description (npm @octokit/openapi, pinned in
benchmarks/octokit.py) in the round-trip corpus: about 1,200 operations."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from .roundtrip import round_trip

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _octokit() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_octokit", BENCHMARKS / "octokit.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def github() -> Path:
    if shutil.which("npm") is None:
        pytest.skip("npm is needed to install @octokit/openapi")
    document: Path | None = _octokit().ensure()
    assert document is not None
    return document


def test_github_round_trip(github: Path, tmp_path: Path) -> None:
    from contractgen.import_.openapi import ImportOptions

    trip = round_trip(github, tmp_path, ImportOptions(domain="github"))
    result = trip.outcome.result
    assert len(result.carried) >= 1200
    shown = "\n".join(str(d) for d in trip.differences[:20])
    assert not trip.differences, f"{len(trip.differences)} differences, first:\n{shown}"
    assert all(d.line >= 1 for d in result.report.diagnostics)
