"""Hostile and broken foreign documents: each case folder holds one document and
the errors the import must report (expected.json: code, file, line). Nothing is
written, and nothing raises."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from contractgen.import_.command import run
from contractgen.import_.openapi import ImportOptions
from contractgen.rules import DIAGNOSTICS

BAD = Path(__file__).parent / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if (p / "expected.json").is_file())


def _document(case: str) -> str:
    (doc,) = [p.name for p in (BAD / case).iterdir() if p.name.startswith("openapi.")]
    return doc


def _expected(case: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((BAD / case / "expected.json").read_text())
    return data


@pytest.mark.parametrize("case", CASES)
def test_bad_document(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD / case)
    outcome = run(Path(_document(case)), tmp_path / "contracts", ImportOptions())
    assert not outcome.ok
    errors = [(d.code, d.file, d.line) for d in outcome.diagnostics if d.is_error]
    assert errors == [(w["code"], w["file"], w["line"]) for w in _expected(case)]
    assert all(d.line >= 1 and d.col >= 1 for d in outcome.diagnostics)
    assert not (tmp_path / "contracts").exists()


def test_a_missing_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    outcome = run(tmp_path / "nowhere.yaml", tmp_path / "contracts", ImportOptions())
    (diag,) = outcome.diagnostics
    assert diag.code == "CG701" and "cannot read" in diag.message


def test_import_registry_examples_are_real_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each message a CG7xx entry shows is reported by a case here or by the corpus."""
    from .test_import import corpus_messages

    seen: dict[str, list[str]] = corpus_messages()
    for case in CASES:
        monkeypatch.chdir(BAD / case)
        for d in run(Path(_document(case)), Path("unused"), ImportOptions()).diagnostics:
            seen.setdefault(d.code, []).append(d.message)
    for entry in DIAGNOSTICS:
        if entry.group != "CG7xx":
            continue
        for shown in re.findall(r"`([^`]+)`", entry.examples):
            assert any(shown in m for m in seen.get(entry.code, [])), (entry.code, shown)
