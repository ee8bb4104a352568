"""The docs surface rendered domain by domain: what a domain's pages show about
other domains comes from the facts, and the nav is joined from per-domain text.
"""

from __future__ import annotations

import marshal
import shutil
from pathlib import Path
from typing import Any

import yaml

from contractgen.load import load
from contractgen.spec import Event, Operation, Spec
from contractgen.speed.incremental import files_for
from contractgen.surfaces import Options, OutputFile, docs
from contractgen.surfaces.lookup import Lookup

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "crossdomain" / "contracts"


def _load(root: Path, only: list[str] | None = None) -> Spec:
    result = load(root, only=only)
    assert result.ok and result.spec is not None, result.diagnostics
    return result.spec


def _by_path(files: list[OutputFile]) -> dict[str, str]:
    return {f.path: f.content for f in files}


def _facts(spec: Spec) -> Any:
    options = Options()
    parts = {d: docs.facts_part(spec, d, options) for d in spec.domains}
    return marshal.loads(marshal.dumps(docs.finalize(parts, options)))


def test_models_page_lists_users_from_other_domains() -> None:
    spec = _load(FIXTURE)
    facts = _facts(spec)
    # catalog is read by orders and billing, but reads neither: alone, it learns
    # who reaches its models only from the facts.
    assert not {"orders", "billing"} & set(spec.domain_deps("catalog"))
    alone = _load(FIXTURE, files_for(spec, ["catalog"]))
    assert set(alone.domains) == {"catalog"}
    rendered = docs.render_domains(alone, Options(), facts, ["catalog"])
    models = _by_path(rendered.files["catalog"])["docs/pages/catalog/models.md"]
    assert "[order.place](../orders/order.place.md)" in models
    event = _by_path(rendered.files["catalog"])["docs/pages/catalog/events/product.created.md"]
    assert "[order.place](../../orders/order.place.md) | 1.0.0 | Never really" in event


def test_users_and_emitters_follow_the_spec_order() -> None:
    spec = _load(FIXTURE)
    facts = _facts(spec)
    items: list[Operation | Event] = [*spec.operations, *spec.events]
    for name, users in Lookup(facts["users"]).items():
        keys = [key for key, _ in users]
        expected = [i.key for i in items if name in spec.closure(spec.roots_of(i))[0]]
        assert keys == expected, name


def _nav_tree(tmp_path: Path) -> Path:
    """The fixture with one domain named 'on': a YAML 1.1 boolean, so the nav is
    not all plain strings and PyYAML writes (and quotes) it."""
    root = tmp_path / "contracts"
    shutil.copytree(FIXTURE, root)
    (root / "reports").rename(root / "on")
    return root


def test_quoted_nav_equals_pyyaml_whole_dump(tmp_path: Path) -> None:
    spec = _load(_nav_tree(tmp_path))
    assert "on" in spec.domains
    config = _by_path(docs.render(spec, Options()))["docs/mkdocs.yml"]
    body = config.split("\n", 1)[1]
    loaded = yaml.safe_load(body)
    assert [next(iter(entry)) for entry in loaded["nav"]] == ["Home", *spec.domains]
    expected = yaml.safe_dump(
        loaded, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000
    )
    assert body == expected
    assert "- 'on':\n" in body


def test_each_domain_alone_gives_the_same_piece(tmp_path: Path) -> None:
    root = _nav_tree(tmp_path)
    spec = _load(root)
    options = Options()
    facts = _facts(spec)
    whole = docs.render_domains(spec, options, facts, spec.domains)
    merged = _by_path(docs.assemble(whole.pieces, facts, options))
    for domain in spec.domains:
        alone = docs.render_domains(
            _load(root, files_for(spec, [domain])), options, facts, [domain]
        )
        assert alone.pieces == {domain: whole.pieces[domain]}
        pieces = dict(whole.pieces) | marshal.loads(marshal.dumps(alone.pieces))
        assert _by_path(docs.assemble(pieces, facts, options)) == merged
