"""Every change pair in tests/diff/cases is classified as its expected.json says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from contractgen.diff import Change, Verdict, compare, gate
from contractgen.load import load
from contractgen.rules import DIFF_RULES
from contractgen.spec import Spec

from .corpus import CASES, CASES_DIR, expected_json

NAMES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())


def load_ok(path: Path) -> Spec:
    result = load(path)
    assert result.ok and result.spec is not None, [str(d) for d in result.diagnostics]
    return result.spec


def case_changes(name: str) -> tuple[list[Change], dict[str, Any]]:
    folder = CASES_DIR / name
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return compare(load_ok(folder / "old"), load_ok(folder / "new")), expected


def test_corpus_is_large_and_current() -> None:
    assert len(NAMES) >= 40
    assert sorted(c.name for c in CASES) == NAMES
    for case in CASES:
        on_disk = json.loads((CASES_DIR / case.name / "expected.json").read_text("utf-8"))
        assert on_disk == expected_json(case), f"{case.name}: run tests/diff/corpus.py"


@pytest.mark.parametrize("name", NAMES)
def test_case(name: str) -> None:
    changes, expected = case_changes(name)
    matched: set[int] = set()
    for exp in expected["changes"]:
        hits = [
            i
            for i, c in enumerate(changes)
            if c.code == exp["code"] and exp["subject"] in c.subject
        ]
        assert hits, f"missing {exp['code']} on {exp['subject']}: got {changes}"
        for i in hits:
            got = {s: v.value for s, v in changes[i].surfaces.items()}
            for surface, verdict in exp["surfaces"].items():
                assert got.get(surface) == verdict, (exp, got)
        matched.update(hits)
    allowed = {e["code"] for e in expected["changes"]} | set(expected["also"])
    for c in changes:
        if c.verdict is not Verdict.INFO:
            assert c.code in allowed, f"unexpected {c.code}: {c.subject}: {c.message}"
    for imp in expected["impacts"]:
        change = next(c for c in changes if c.code == imp["code"])
        labels = sorted(i.contract.label for i in change.impacts)
        assert labels == sorted(imp["contracts"])
    result = gate(changes)
    state = "fail" if result.errors else "warn" if result.warnings else "ok"
    assert state == expected["gate"], [
        (f.level, f.change.message, f.reasons) for f in result.findings
    ]


def test_no_change_is_empty() -> None:
    spec = load_ok(CASES_DIR / NAMES[0] / "old")
    assert compare(spec, spec) == []
    assert gate([]).ok


def test_deprecation_is_noted_in_removal_message() -> None:
    changes, _ = case_changes("input_field_removed")
    assert "without prior deprecation" in changes[0].message
    changes, _ = case_changes("input_field_removed_after_deprecation")
    removed = next(c for c in changes if c.code == "field.removed")
    assert "after deprecation (Use note)" in removed.message


def test_locations_point_into_both_trees() -> None:
    changes, _ = case_changes("output_field_retyped")
    change = next(c for c in changes if c.code == "field.type-changed")
    assert change.old_loc is not None and change.new_loc is not None
    assert change.old_loc.file == "old/shop/models.yaml"
    assert change.new_loc.file == "new/shop/models.yaml"
    assert change.old_loc.line > 1 and change.new_loc.line > 1


def test_version_bump_alone_says_so() -> None:
    changes, _ = case_changes("version_bump_without_change")
    assert [c.message for c in changes] == ["version bumped 1.0.0 -> 1.0.1 without any change"]
    changes, _ = case_changes("major_bump_with_breaking")
    bump = next(c for c in changes if c.code == "meta.version")
    assert bump.message == "major bumped 1.0.0 -> 2.0.0"


def test_gate_reasons_name_the_contract() -> None:
    changes, _ = case_changes("input_field_removed")
    (finding,) = gate(changes).errors
    assert finding.reasons == (
        "item.create@1.0.0 is stable: breaking change needs a major version bump",
    )


def test_every_rule_has_its_own_pair() -> None:
    """Each rule of the registry is expected (not merely allowed) by some case."""
    expected = {code for case in CASES for code, _, _ in case.expect}
    missing = [r.id for r in DIFF_RULES if r.id not in expected]
    assert not missing, f"rules without a before/after pair in tests/diff/corpus.py: {missing}"
    unknown = sorted(expected - {r.id for r in DIFF_RULES})
    assert not unknown, f"corpus expects codes the registry does not have: {unknown}"
