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

from .roundtrip import round_trip

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
