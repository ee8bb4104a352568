"""Good inputs the loader must accept, and the edges of reading a tree."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from contractgen.load import Source, load, load_sources
from contractgen.spec import Spec

WriteTree = Callable[[dict[str, str]], Path]

OP = """kind: command
meta:
  key: thing.do
  version: "1.0.0"
  description: Do a thing.
  goal: Get it done.
  context: When needed.
  stability: stable
  owners: [team.a]
io:
  input: DoInput
  output: DoOutput
policy:
  auth: user
models:
  DoInput:
    fields:
      {field}: {{type: {type}}}
  DoOutput:
    fields:
      id: {{type: ID}}
"""


def _ok(root: Path, monkeypatch: pytest.MonkeyPatch) -> Spec:
    monkeypatch.chdir(root)
    result = load(Path("contracts"))
    assert result.diagnostics == [], result.diagnostics
    assert result.ok and result.spec is not None
    return result.spec


def test_bom_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "contracts" / "m" / "a.yaml"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xef\xbb\xbf" + OP.format(field="name", type="String").encode())
    spec = _ok(tmp_path, monkeypatch)
    (op,) = spec.operations
    assert op.meta.loc.line == 3  # the BOM does not shift lines
    assert not op.source.startswith("\ufeff")


def test_python_keyword_field_name(write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree({"contracts/m/a.yaml": OP.format(field="class", type="String")})
    spec = _ok(root, monkeypatch)
    assert [f.name for f in spec.model("DoInput").fields] == ["class"]


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("String", "String_unsecure"),
        ("Int", "Int_unsecure"),
        ("Float", "Float_unsecure"),
        ("String_unsecure", "String_unsecure"),
        ("Boolean", "Boolean"),
    ],
)
def test_short_scalar_names(
    written: str, canonical: str, write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree({"contracts/m/a.yaml": OP.format(field="value", type=written)})
    spec = _ok(root, monkeypatch)
    (f,) = spec.model("DoInput").fields
    assert (f.type.kind, f.type.name) == ("scalar", canonical)


def test_yes_and_no_stay_strings(write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch) -> None:
    text = OP.format(field="answer", type="String").replace(
        "owners: [team.a]", "owners: [team.a]\n  tags: [yes, no, on, off, y, n]"
    )
    text = text.replace("      id: {type: ID}", "      id: {type: ID}\n      flag: {type: Boolean}")
    text += (
        "examples:\n  - name: plain words\n    input: {answer: no}\n"
        "    output: {id: yes, flag: true}\n"
    )
    spec = _ok(write_tree({"contracts/m/a.yaml": text}), monkeypatch)
    (op,) = spec.operations
    assert op.meta.tags == ("yes", "no", "on", "off", "y", "n")
    assert op.examples[0].input == {"answer": "no"}
    assert op.examples[0].output == {"id": "yes", "flag": True}


def test_yes_is_not_a_boolean(write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch) -> None:
    text = OP.format(field="name", type="String").replace(
        "      id: {type: ID}",
        "      id: {type: ID}\n      note: {type: String, isOptional: yes}",
    )
    monkeypatch.chdir(write_tree({"contracts/m/a.yaml": text}))
    result = load(Path("contracts"))
    (diag,) = result.diagnostics
    assert diag.code == "CG203"
    assert diag.line == 22


def test_meta_domain_overrides_folder(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = OP.format(field="name", type="String").replace(
        "owners: [team.a]", "owners: [team.a]\n  domain: billing"
    )
    spec = _ok(write_tree({"contracts/m/a.yaml": text}), monkeypatch)
    assert spec.operations[0].domain == "billing"
    # models defined in an operation file belong to that operation's domain
    assert spec.model("DoInput").domain == "billing"


def test_files_at_the_root_are_in_the_default_domain(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _ok(write_tree({"contracts/a.yml": OP.format(field="name", type="String")}), monkeypatch)
    assert spec.operations[0].domain == "default"


def test_hidden_and_other_files_are_skipped(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree(
        {
            "contracts/m/a.yaml": OP.format(field="name", type="String"),
            "contracts/m/.draft.yaml": "not: [valid",
            "contracts/.hidden/b.yaml": "not: [valid",
            "contracts/m/notes.txt": "not: [valid",
        }
    )
    spec = _ok(root, monkeypatch)
    assert len(spec.operations) == 1


def test_missing_folder_is_cg100(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = load(Path("nowhere"))
    (diag,) = result.diagnostics
    assert diag.code == "CG100"
    assert result.spec is None


def test_folder_without_contracts_is_cg100(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "contracts").mkdir()
    monkeypatch.chdir(tmp_path)
    (diag,) = load(Path("contracts")).diagnostics
    assert diag.code == "CG100"
    assert "no contract files" in diag.message


def test_unreadable_source_is_cg100() -> None:
    result = load_sources("contracts", [Source("m/a.yaml", None, "contracts/m/a.yaml")])
    assert [d.code for d in result.diagnostics] == ["CG100"]


def test_load_sources_sorts_by_path() -> None:
    a = OP.format(field="name", type="String").encode()
    b = a.replace(b"thing.do", b"thing.undo").replace(b"DoInput", b"UndoInput")
    b = b.replace(b"DoOutput", b"UndoOutput")
    sources = [Source("m/b.yaml", b, "b"), Source("m/a.yaml", a, "a")]
    one = load_sources("contracts", sources)
    two = load_sources("contracts", list(reversed(sources)))
    assert one.spec is not None and two.spec is not None
    assert one.spec.model_dump_json() == two.spec.model_dump_json()
    assert [o.key for o in one.spec.operations] == ["thing.do", "thing.undo"]


@pytest.mark.parametrize("kind", ["[command]", "{a: b}"])
def test_unhashable_kind(kind: str) -> None:
    data = f"kind: {kind}\nmodels: {{}}\n".encode()
    result = load_sources("contracts", [Source("m/a.yaml", data, "contracts/m/a.yaml")])
    assert [(d.code, d.line) for d in result.diagnostics] == [("CG204", 1)]


LATER_MODELS = """kind: models
models:
  Zone:
    fields:
      code: {type: String}
      parent: {type: Zone, isOptional: true}
enums:
  Zeta: {values: [ONE, TWO]}
"""


def _with_fields(fields: str) -> str:
    """OP with these lines as the fields of DoInput."""
    return OP.format(field="FIELDS", type="X").replace("FIELDS: {type: X}", fields)


def _load(files: dict[str, str]) -> tuple[Spec | None, list[tuple[str, str, int]]]:
    result = load_sources(
        "contracts", [Source(rel, text.encode(), f"contracts/{rel}") for rel, text in files.items()]
    )
    return result.spec, [(d.code, d.file, d.line) for d in result.diagnostics]


def test_types_defined_in_later_files_resolve_like_earlier_ones() -> None:
    """A model waits for types a later file defines; the spec is the same either way."""
    forward = _with_fields("zone: {type: Zone}\n      z: {type: Zeta}")
    spec_forward, diags = _load({"a/op.yaml": forward, "z/types.yaml": LATER_MODELS})
    assert diags == []
    spec_backward, diags = _load({"z/op.yaml": forward, "a/types.yaml": LATER_MODELS})
    assert diags == []
    assert spec_forward is not None and spec_backward is not None
    for spec in (spec_forward, spec_backward):
        fields = {f.name: (f.type.kind, f.type.name) for f in spec.model("DoInput").fields}
        assert fields == {"zone": ("model", "Zone"), "z": ("enum", "Zeta")}
        assert [f.type.kind for f in spec.model("Zone").fields] == ["scalar", "model"]


def test_a_model_waits_for_each_missing_type_in_turn() -> None:
    """Zone comes in a later file, Zeta in a later one still: resolved all the same."""
    forward = _with_fields("zone: {type: Zone}\n      z: {type: Zeta}")
    zone, zeta = LATER_MODELS.split("enums:")
    spec, diags = _load(
        {"a/op.yaml": forward, "m/zone.yaml": zone, "z/zeta.yaml": "kind: models\nenums:" + zeta}
    )
    assert diags == [], diags
    assert spec is not None
    fields = {f.name: (f.type.kind, f.type.name) for f in spec.model("DoInput").fields}
    assert fields == {"zone": ("model", "Zone"), "z": ("enum", "Zeta")}


def test_a_waiting_model_reports_each_problem_once() -> None:
    """A model that waits is checked again in full later: no problem twice, none lost."""
    forward = _with_fields(
        "Bad_Name: {type: String}\n      zone: {type: Zone}\n      lost: {type: Zonr}"
    )
    _, diags = _load({"a/op.yaml": forward, "z/types.yaml": LATER_MODELS})
    assert sorted(diags) == [
        ("CG207", "contracts/a/op.yaml", 18),
        ("CG301", "contracts/a/op.yaml", 20),
    ]


def test_one_cg405_per_pair_names_every_shared_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """Events 'a.bC' and 'a_b.c' share three derived names: one error lists them all."""
    case = Path(__file__).parent / "bad" / "cg405_same_python_emit_function"
    monkeypatch.chdir(case)
    diags = load(Path("contracts")).diagnostics
    assert [d.code for d in diags] == ["CG405"]
    message = diags[0].message
    for name in ("subscription field 'aBC'", "operationId 'abcEvent'", "'m.emit_abc'"):
        assert name in message
    assert "'a_b.c@1.0.0'" in message and "'a.bC@1.0.0'" in message
