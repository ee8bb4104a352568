"""The bad-input corpus: each case folder holds a tiny contracts tree and the
diagnostics the loader must report for it (expected.json).

expected.json lists every error: {"code", "file", "line"} and optionally
"col", "hint" (a substring of the hint), "related_file"/"related_line" (a note
that must be attached). The run must report each listed error, and no error
that is not listed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from contractgen.diagnostics import CODES, Diagnostic
from contractgen.load import load
from contractgen.rules import DIAGNOSTICS

BAD = Path(__file__).parent / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if (p / "expected.json").is_file())


def _expected(case: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((BAD / case / "expected.json").read_text())
    return data


def _matches(d: Diagnostic, want: dict[str, Any]) -> bool:
    if (d.code, d.file, d.line) != (want["code"], want["file"], want["line"]):
        return False
    if "col" in want and d.col != want["col"]:
        return False
    if "hint" in want and want["hint"] not in (d.hint or ""):
        return False
    if "related_line" in want:
        related_file = want.get("related_file", want["file"])
        if not any(f == related_file and ln == want["related_line"] for f, ln, _, _ in d.related):
            return False
    return True


def _show(diags: list[Diagnostic]) -> str:
    return "\n".join(
        f"  {d.code} {d.file}:{d.line}:{d.col} {d.message} | hint={d.hint} related={d.related}"
        for d in diags
    )


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES)
def test_bad_case(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD / case)
    result = load(Path("contracts"))
    expected = _expected(case)
    errors = [d for d in result.diagnostics if d.is_error]
    assert result.spec is None
    assert not result.ok
    for want in expected:
        assert any(_matches(d, want) for d in errors), (
            f"expected {want} in:\n{_show(result.diagnostics)}"
        )
    listed = {(w["code"], w["file"], w["line"]) for w in expected}
    extra = [d for d in errors if (d.code, d.file, d.line) not in listed]
    assert not extra, f"unexpected diagnostics:\n{_show(extra)}"
    for d in result.diagnostics:
        assert d.code in CODES
        assert d.line >= 1 and d.col >= 1
        assert d.message


def test_corpus_covers_every_loader_code() -> None:
    covered = {w["code"] for case in CASES for w in _expected(case)}
    # CG100 (unreadable file / no contracts) is covered in test_loader_edges.py.
    # CG6xx are template and output codes, reported by the build, not the loader;
    # CG7xx are import codes (tests/import_/).
    loader_codes = {c for c in CODES if c != "CG100" and not c.startswith(("CG6", "CG7"))}
    assert loader_codes - covered == set()


def test_many_broken_files_report_everything_in_one_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD / "many_problems")
    result = load(Path("contracts"))
    errors = [d for d in result.diagnostics if d.is_error]
    assert len(errors) == 5
    assert len({d.file for d in errors}) == 5
    assert sorted(d.code for d in errors) == ["CG103", "CG108", "CG204", "CG206", "CG301"]
    # sorted by place: file, then line
    assert [d.sort_key() for d in result.diagnostics] == sorted(
        d.sort_key() for d in result.diagnostics
    )


def test_duplicate_model_names_both_places(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD / "cg401_duplicate_model_across_files")
    (diag,) = load(Path("contracts")).diagnostics
    assert "DoOutput" in diag.message
    assert (diag.file, diag.line, diag.col) == ("contracts/m/b.yaml", 3, 3)
    assert diag.related == (("contracts/m/a.yaml", 19, 3, "first defined here"),)


def test_duplicate_key_points_at_first_definition(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD / "cg103_duplicate_key")
    (diag,) = load(Path("contracts")).diagnostics
    assert diag.message == "duplicate key 'description'"
    assert diag.related[0][:3] == ("contracts/m/a.yaml", 5, 3)


def test_alias_bomb_is_refused_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.chdir(BAD / "cg105_billion_laughs")
    start = time.perf_counter()
    (diag,) = load(Path("contracts")).diagnostics
    assert time.perf_counter() - start < 2.0
    assert diag.code == "CG105"


def test_python_tags_are_never_constructed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD / "cg104_python_object")
    (diag,) = load(Path("contracts")).diagnostics
    assert "python/object/apply" in diag.message
    assert diag.hint is not None and "remove the tag" in diag.hint


def test_registry_examples_are_real_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each message a registry entry shows (between backticks) is reported by some
    case of this corpus under that code. CG100, CG6xx and CG7xx (tests/import_/) come
    from elsewhere."""
    seen: dict[str, list[str]] = {}
    for case in CASES:
        monkeypatch.chdir(BAD / case)
        for d in load(Path("contracts")).diagnostics:
            seen.setdefault(d.code, []).append(d.message)
    for entry in DIAGNOSTICS:
        if entry.code == "CG100" or entry.group in ("CG6xx", "CG7xx"):
            continue
        for shown in re.findall(r"`([^`]+)`", entry.examples):
            assert any(shown in m for m in seen.get(entry.code, [])), (entry.code, shown)
