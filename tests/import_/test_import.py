"""``contractgen import openapi``: the corpus round trip, the mapping, losses, --strict,
re-import that keeps hand edits, selection, and the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from contractgen.cli import app
from contractgen.import_.command import run
from contractgen.import_.openapi import ImportOptions, import_openapi
from contractgen.load.yamlpos import parse

from .roundtrip import compare, round_trip

CORPUS = Path(__file__).parent / "corpus"
DOCUMENTS = sorted(
    p.relative_to(CORPUS).as_posix()
    for p in CORPUS.rglob("*")
    if p.suffix in (".yaml", ".json") and (p.parent == CORPUS or p.name == "openapi.yaml")
)


def corpus_messages() -> dict[str, list[str]]:
    """Code -> the messages the corpus documents get (for the registry's examples)."""
    seen: dict[str, list[str]] = {}
    for doc in DOCUMENTS:
        for d in import_openapi(CORPUS / doc, ImportOptions()).diagnostics:
            seen.setdefault(d.code, []).append(d.message)
    return seen


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_round_trip(doc: str, tmp_path: Path) -> None:
    trip = round_trip(CORPUS / doc, tmp_path)
    assert trip.outcome.result.carried, "no operation carried"
    assert not trip.differences, "\n".join(str(d) for d in trip.differences)
    for d in trip.outcome.diagnostics:
        assert d.line >= 1 and d.col >= 1 and "(at #" in d.message


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_output_is_deterministic(doc: str, tmp_path: Path) -> None:
    first = run(CORPUS / doc, tmp_path / "a", ImportOptions())
    second = run(CORPUS / doc, tmp_path / "b", ImportOptions())
    assert first.plan is not None and second.plan is not None
    assert first.plan.texts == second.plan.texts


REFS = CORPUS / "refs" / "openapi.yaml"


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["import", "openapi", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_writes_and_summarises(tmp_path: Path) -> None:
    code, _, err = _cli(str(REFS), "--into", str(tmp_path / "c"), "--domain", "tree")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "c" / "tree").iterdir()) == [
        "models.yaml",
        "tree.getNode.yaml",
        "tree.replaceNode.yaml",
    ]
    assert "imported: 3 models, 2 operations" in err
    assert "wrote 3 files" in err


def test_strict_makes_a_loss_an_error_and_writes_nothing(tmp_path: Path) -> None:
    code, _, err = _cli(str(CORPUS / "petstore.yaml"), "--into", str(tmp_path / "c"), "--strict")
    assert code == 1
    assert "error[CG710]: response 'default' is not carried" in err
    assert "nothing written" in err
    assert not (tmp_path / "c").exists()


def test_selection_by_operation_and_tag(tmp_path: Path) -> None:
    outcome = run(REFS, tmp_path, ImportOptions(operations=["getNode"]))
    assert [c.key for c in outcome.result.carried] == ["tree.getNode"]
    petstore = import_openapi(CORPUS / "petstore.yaml", ImportOptions(tags=["pets"]))
    assert [c.key for c in petstore.carried] == ["petstore.listPets"]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_reimport_keeps_hand_edits(tmp_path: Path) -> None:
    work = tmp_path / "doc"
    work.mkdir()
    for p in REFS.parent.iterdir():
        (work / p.name).write_bytes(p.read_bytes())
    into = tmp_path / "c"
    assert run(work / "openapi.yaml", into, ImportOptions()).ok
    contract = into / "tree" / "tree.getNode.yaml"
    placeholder = contract.read_text().split("goal: ")[1].splitlines()[0]
    _edit(contract, f"goal: {placeholder}", "goal: Show one node of the tree.")
    _edit(contract, "    - imported", "    - team.trees")
    _edit(
        work / "openapi.yaml",
        "operationId: getNode",
        "operationId: getNode\n      summary: One node",
    )
    again = run(work / "openapi.yaml", into, ImportOptions())
    assert again.ok and again.written == ["tree/tree.getNode.yaml"]
    text = contract.read_text()
    assert "goal: Show one node of the tree." in text and "team.trees" in text
    assert "title: One node" in text
    # Unchanged source, unchanged files: nothing to write.
    assert run(work / "openapi.yaml", into, ImportOptions()).written == []


def test_reimport_refuses_other_hand_edits_without_force(tmp_path: Path) -> None:
    into = tmp_path / "c"
    assert run(REFS, into, ImportOptions()).ok
    contract = into / "tree" / "tree.getNode.yaml"
    _edit(contract, "method: GET", "method: POST")
    code, out, err = _cli(str(REFS), "--into", str(into))
    assert code == 1 and "--force replaces them" in err
    assert "-    method: POST" in out and "+    method: GET" in out
    assert "method: POST" in contract.read_text()
    code, _, err = _cli(str(REFS), "--into", str(into), "--force")
    assert code == 0, err
    assert "method: GET" in contract.read_text()


def test_contracts_carry_their_source_and_placeholders(tmp_path: Path) -> None:
    assert run(REFS, tmp_path, ImportOptions(owners=["team.trees"])).ok
    data = parse((tmp_path / "tree" / "tree.getNode.yaml").read_bytes(), "x").data
    assert data is not None
    meta = data["meta"]
    assert meta["owners"] == ["team.trees"]
    assert meta["goal"].startswith("(imported from ")
    assert data["transport"] == {"rest": {"method": "GET", "path": "/nodes/{nodeId}"}}


def test_the_comparison_finds_and_locates_each_difference(tmp_path: Path) -> None:
    trip = round_trip(REFS, tmp_path)
    assert not trip.differences
    text = trip.built.read_text()
    changed = text.replace("    get:", "    post:", 1)
    put = changed.index("    put:")
    changed = changed[:put] + changed[put:].replace("required: true", "required: false", 1)
    node = changed.index("    Node:")
    changed = changed[:node] + changed[node:].replace("type: string", "type: integer", 1)
    trip.built.write_text(changed)
    found = [str(d) for d in compare(trip.outcome, trip.built)]
    assert len(found) == 3, "\n".join(found)
    assert any("operation missing" in d for d in found)
    assert any("parameter 'nodeId': required True" in d for d in found)
    wrong_type = next(d for d in found if "'type'" in d)
    assert "schemas.yaml:5:" in wrong_type and "#/Node/properties/name/type" in wrong_type
    assert (
        "openapi.yaml:" in wrong_type and "#/components/schemas/Node/properties/name" in wrong_type
    )


MODELS = Path(__file__).parent / "models"


def test_models_from_a_json_schema_file(tmp_path: Path) -> None:
    code, _, err = _cli_models("jsonschema", str(MODELS / "order.schema.json"), tmp_path)
    assert code == 0, err
    data = parse((tmp_path / "order" / "models.yaml").read_bytes(), "m").data
    assert data is not None
    assert data["models"]["Order"]["fields"]["lines"] == {
        "type": "OrderLine",
        "isArray": True,
        "minItems": 1,
    }
    assert data["models"]["OrderLine"]["fields"]["quantity"] == {"type": "Int", "minimum": 1}
    assert data["enums"]["OrderStatus"]["values"] == ["open", "paid", "shipped"]


def test_models_from_pydantic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(MODELS))
    code, _, err = _cli_models("pydantic", "shop_models:Basket", tmp_path)
    assert code == 0, err
    data = parse((tmp_path / "shop-models" / "models.yaml").read_bytes(), "m").data
    assert data is not None
    item = data["models"]["Item"]
    assert item["description"] == "One item of a basket."
    assert item["fields"]["quantity"] == {"type": "Int", "minimum": 1, "default": 1}
    assert item["fields"]["size"]["isOptional"] is True
    assert data["models"]["Basket"]["fields"]["items"] == {"type": "Item", "isArray": True}
    assert data["enums"]["Size"]["values"] == ["small", "large"]


def test_a_pydantic_model_that_cannot_be_imported_is_an_error(tmp_path: Path) -> None:
    code, _, err = _cli_models("pydantic", "no_such_module_here:Model", tmp_path)
    assert code == 1 and "error[CG701]: cannot read pydantic model" in err


def _cli_models(kind: str, what: str, into: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["import", kind, what, "--into", str(into)])
    return result.exit_code, result.stdout, result.stderr


def test_a_url_ref_is_not_fetched(tmp_path: Path) -> None:
    doc = tmp_path / "remote.yaml"
    doc.write_text(
        "openapi: 3.1.0\n"
        "info: {title: Remote, version: 1.0.0}\n"
        "paths:\n"
        "  /things:\n"
        "    get:\n"
        "      operationId: listThings\n"
        "      responses:\n"
        "        '200':\n"
        "          description: ok\n"
        "          content:\n"
        "            application/json:\n"
        "              schema: {$ref: 'https://example.invalid/thing.json#/Thing'}\n"
    )
    outcome = run(doc, tmp_path / "c", ImportOptions())
    assert outcome.ok
    (url,) = [d for d in outcome.diagnostics if "URL" in d.message]
    assert (url.code, url.line, url.col) == ("CG711", 12, 24)
    assert "is a URL; it is not fetched" in url.message


def test_examples_are_paired_by_name_and_refused_ones_reported(tmp_path: Path) -> None:
    outcome = run(CORPUS / "scalars.yaml", tmp_path, ImportOptions())
    assert outcome.ok
    data = parse((tmp_path / "scalars" / "scalars.createOrder.yaml").read_bytes(), "x").data
    assert data is not None
    (example,) = data["examples"]
    assert example["name"] == "pens" and example["description"] == "Two pens"
    assert example["input"] == {"sku": "PEN-1", "quantity": 2}
    assert example["output"]["amount"] == "12.50"
    (refused,) = [d for d in outcome.diagnostics if "refused" in d.message]
    assert refused.code == "CG710" and "example 'broken'" in refused.message
    assert refused.message.endswith(
        "(at #/paths/~1orders/post/requestBody/content/application~1json/examples/broken/value)"
    )


def test_webhooks_become_events(tmp_path: Path) -> None:
    trip = round_trip(CORPUS / "unions.yaml", tmp_path)
    (event,) = trip.outcome.result.events
    assert event.key == "unions.paymentSettled"
    assert "1 events" in trip.outcome.result.report.summary()
    text = trip.built.read_text()
    trip.built.write_text(text.replace("  unions.paymentSettled:", "  unions.paymentGone:"))
    (missing,) = compare(trip.outcome, trip.built)
    assert missing.what == "webhook missing" and "#/webhooks/paymentSettled" in missing.source
