"""The GraphQL surface's domain protocol: what its pieces carry to the merged files.

tests/surfaces/test_domains.py checks the protocol for every surface with the
built-in templates; these check what only the GraphQL surface promises: merged
templates that read a definition's fields (not just its laid-out text) see the
same definitions after pieces went through the cache, and root fields keep the
spec's order when domains are assembled.
"""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

from contractgen.load import load
from contractgen.spec import Spec
from contractgen.surfaces import Options, OutputFile, render_surface
from contractgen.surfaces import graphql as surface

CROSSDOMAIN = Path(__file__).resolve().parent.parent / "fixtures" / "crossdomain" / "contracts"

#: Prints every field of every definition and member, then the laid-out text.
VERBOSE = """{{ header }}
{% for d in definitions %}
@@ {{ d.keyword }}|{{ d.name }}|{{ d.description }}|{{ d.directives }}|{{ d.sources|join(",") }}
{% for m in d.members %}
  {{ m.name }}|{{ m.args }}|{{ m.type }}|{{ m.directives }}|{{ m.description }}
{% endfor %}
{{ d.text }}
{% endfor %}
"""


def _load(root: Path) -> Spec:
    result = load(root)
    assert result.ok and result.spec is not None, result.diagnostics
    return result.spec


def _roundtrip(value: Any) -> Any:
    return marshal.loads(marshal.dumps(value))


def _by_path(files: list[OutputFile]) -> dict[str, str]:
    return {f.path: f.content for f in files}


def _verbose_templates(tmp_path: Path) -> Options:
    folder = tmp_path / "templates" / "graphql"
    folder.mkdir(parents=True)
    for name in ("base.graphql.jinja", "schema.graphql.jinja", "operation.graphql.jinja"):
        (folder / name).write_text(VERBOSE, encoding="utf-8")
    return Options(templates=tmp_path / "templates")


def test_merged_templates_read_definitions_from_cached_pieces(tmp_path: Path) -> None:
    spec = _load(CROSSDOMAIN)
    options = _verbose_templates(tmp_path)
    parts = _roundtrip({d: surface.facts_part(spec, d, options) for d in spec.domains})
    facts = _roundtrip(surface.finalize(parts, options))
    rendered = surface.render_domains(spec, options, facts, spec.domains)
    merged = _by_path(surface.assemble(_roundtrip(rendered.pieces), facts, options))
    whole = _by_path(render_surface(surface, spec, options))
    assert merged == {p: whole[p] for p in merged}

    # A fragment's templates get definitions fresh from the spec: every type block
    # they print (fields, members and all) appears as such in the merged schema.
    schema = merged["graphql/schema.graphql"]
    blocks = [
        block
        for files in rendered.files.values()
        for f in files
        for block in f.content.split("@@ ")[1:]
        if not block.startswith("extend type")
    ]
    assert blocks
    for block in blocks:
        assert "@@ " + block.rstrip("\n") in schema
    assert "  price||Money!||" in schema


def test_root_fields_keep_spec_order_across_domains(tmp_path: Path) -> None:
    # The same key in two domains, two majors: the merged Query lists their root
    # fields as the spec orders operations (by key, then version), not by domain.
    # (Each major has its own field; one name for both is refused, CG405.)
    for domain, version, model, text in (
        ("alpha", "2.0.0", "ThingA", "Newer."),
        ("zeta", "1.0.0", "ThingZ", "Older."),
    ):
        folder = tmp_path / "contracts" / domain
        folder.mkdir(parents=True)
        (folder / "thing.get.yaml").write_text(
            f"""kind: query
meta:
  key: thing.get
  version: "{version}"
  description: {text}
  goal: g
  context: c
  stability: stable
  owners: [team.{domain}]
io:
  input: null
  output: {model}
policy:
  auth: anonymous
models:
  {model}:
    fields:
      id: {{type: ID}}
""",
            encoding="utf-8",
        )
    spec = _load(tmp_path / "contracts")
    assert [op.domain for op in spec.operations] == ["zeta", "alpha"]
    schema = surface.merged_schema(spec, Options())
    assert schema.index('"""Older."""') < schema.index('"""Newer."""')


def test_control_characters_survive_pieces(tmp_path: Path) -> None:
    # Pieces join member fields with NUL: a NUL in a description reaches them
    # escaped, so members read back field by field as they were.
    folder = tmp_path / "contracts" / "notes"
    folder.mkdir(parents=True)
    (folder / "note.get.yaml").write_text(
        """kind: query
meta:
  key: note.get
  version: "1.0.0"
  description: "Reads a note.\\0 With a NUL"
  goal: g
  context: c
  stability: stable
  owners: [team.notes]
io:
  input: null
  output: Note
policy:
  auth: anonymous
models:
  Note:
    description: "A note\\0"
    fields:
      body: {type: String, description: "nul:\\0 bell:\\a tab:\\t end"}
      empty: {type: String, isOptional: true, deprecated: true}
""",
        encoding="utf-8",
    )
    spec = _load(tmp_path / "contracts")
    options = _verbose_templates(tmp_path)
    parts = {d: surface.facts_part(spec, d, options) for d in spec.domains}
    facts = _roundtrip(surface.finalize(parts, options))
    rendered = surface.render_domains(spec, options, facts, spec.domains)
    merged = _by_path(surface.assemble(_roundtrip(rendered.pieces), facts, options))
    whole = _by_path(render_surface(surface, spec, options))
    assert merged == {p: whole[p] for p in merged}
    assert (
        '  body||String!||  "nul:\\u0000 bell:\\u0007 tab:\\t end"'
        in merged["graphql/schema.graphql"]
    )
