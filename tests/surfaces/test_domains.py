"""Every surface renders domain by domain (the protocol in ``contractgen.surfaces``).

For each tree and surface: the driver's output equals the four functions chained
by hand; and for every domain, a spec holding only that domain and what it
reads (as an incremental build loads it) gives the same facts part, the same
files, and a piece that assembles into the same merged documents, after a
round trip through ``marshal`` (how the build cache stores them).
"""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

import pytest

from contractgen.load import load
from contractgen.spec import Spec
from contractgen.speed.incremental import files_for
from contractgen.surfaces import (
    SURFACE_NAMES,
    Options,
    OutputFile,
    render_surface,
    surface_module,
)

HERE = Path(__file__).resolve().parent.parent
TREES = {
    "crossdomain": HERE / "fixtures" / "crossdomain" / "contracts",
    "bundled": HERE.parent / "contracts",
    "minimal": HERE / "golden" / "cases" / "minimal" / "contracts",
    "versions": HERE / "golden" / "cases" / "versions" / "contracts",
    "hostile": HERE / "golden" / "cases" / "hostile" / "contracts",
    "operations": HERE / "golden" / "cases" / "operations" / "contracts",
    "unions": HERE / "golden" / "cases" / "unions" / "contracts",
}


def _load(root: Path, only: list[str] | None = None) -> Spec:
    result = load(root, only=only)
    assert result.ok and result.spec is not None, result.diagnostics
    return result.spec


def _roundtrip(value: Any) -> Any:
    return marshal.loads(marshal.dumps(value))


def _texts(files: list[OutputFile]) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {f.path: (f.content, tuple(f.sources)) for f in files}


@pytest.fixture(scope="module", params=sorted(TREES))
def tree(request: pytest.FixtureRequest) -> tuple[Path, Spec]:
    root = TREES[request.param]
    return root, _load(root)


def test_crossdomain_fixture_reads_across_domains() -> None:
    spec = _load(TREES["crossdomain"])
    assert spec.domain_deps("billing") == ["catalog", "orders"]
    assert spec.domain_deps("orders") == ["catalog"]
    assert spec.domain_deps("reports") == []
    assert files_for(spec, ["reports"]) == ["reports/report.daily.yaml"]
    assert "catalog/models.yaml" in files_for(spec, ["billing"])


@pytest.mark.parametrize("surface", SURFACE_NAMES)
def test_each_domain_alone_reproduces_the_whole(tree: tuple[Path, Spec], surface: str) -> None:
    root, spec = tree
    module = surface_module(surface)
    options = Options()
    domains = spec.domains
    parts = {d: module.facts_part(spec, d, options) for d in domains}
    facts = _roundtrip(module.finalize(_roundtrip(parts), options))
    whole = module.render_domains(spec, options, facts, domains)
    pieces = _roundtrip(whole.pieces)
    assembled = _texts(module.assemble(pieces, facts, options))
    expected = _texts(render_surface(module, spec, options))
    chained = _texts([f for d in domains for f in whole.files.get(d, ())]) | assembled
    assert chained == expected
    # Each path belongs to one domain or to the assembled files.
    owned = [f.path for d in domains for f in whole.files.get(d, ())]
    assert len(owned) == len(set(owned)) and not set(owned) & set(assembled)

    for domain in domains:
        partial = _load(root, files_for(spec, [domain]))
        assert _roundtrip(module.facts_part(partial, domain, options)) == parts[domain], domain
        alone = module.render_domains(partial, options, facts, [domain])
        assert set(alone.files) <= {domain}
        assert _texts(alone.files.get(domain, [])) == _texts(whole.files.get(domain, [])), domain
        assert set(alone.pieces) == set(whole.pieces) & {domain}
        mixed = dict(pieces)
        if domain in alone.pieces:
            mixed[domain] = _roundtrip(alone.pieces[domain])
        assert _texts(module.assemble(mixed, facts, options)) == assembled, domain
