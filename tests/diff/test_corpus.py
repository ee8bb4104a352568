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


#: Cases that are uses of a changed type: several may hold at once (merged).
_USE_CASES = {"input", "output", "event", "unused", "any", "operation"}


def test_every_case_of_a_rule_has_a_pair() -> None:
    """A rule whose cases exclude each other (auth tightened or loosened, ...) has
    a corpus case for each: one expecting exactly that case's verdicts."""
    for rule in DIFF_RULES:
        if set(rule.cases) & _USE_CASES:
            continue
        for case, verdicts in rule.cases.items():
            wanted = {s: v.value for s, v in verdicts.items()}
            assert any(
                code == rule.id and surfaces == wanted
                for c in CASES
                for code, _, surfaces in c.expect
            ), f"{rule.id}: no corpus case expects its case '{case}' ({wanted})"


def _line_of(folder: Path, file: str, text: str, after: str = "") -> int:
    """The 1-based line of the first line holding text (below the first holding after)."""
    lines = (folder / file).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines) if i >= start and text in line) + 1


#: case, rule, the file below old/ and new/, the text of the changed line on each
#: side (a node not written on one side: where the change falls back to), counted
#: from the first line holding the last item.
LOCATED = [
    ("auth_tightened", "policy.auth", "shop/item.get.yaml", "auth: user", "auth: admin", ""),
    ("output_field_retyped", "field.type-changed", "shop/models.yaml", "type:", "type:", "name:"),
    ("error_http_changed", "error.http", "shop/item.get.yaml", "http: 404", "http: 410", ""),
    (
        "input_optional_to_required",
        "field.now-required",
        "shop/item.create.yaml",
        "isOptional",
        "note:",
        "note:",
    ),
    ("rate_limit_added", "policy.rate-limit", "shop/item.get.yaml", "policy:", "rateLimit:", ""),
    (
        "stability_lowered",
        "meta.stability",
        "shop/item.get.yaml",
        "stability: stable",
        "stability: beta",
        "",
    ),
    (
        "rest_path_changed",
        "transport.rest-path",
        "shop/item.get.yaml",
        "version:",
        "path: /v1/items/lookup",
        "",
    ),
    (
        "command_query_swapped",
        "operation.kind",
        "shop/item.get.yaml",
        "kind: query",
        "kind: command",
        "",
    ),
    (
        "enum_value_removed_output_only",
        "enum.value-removed",
        "shop/models.yaml",
        "- ARCHIVED",
        "values:",
        "Status:",
    ),
    (
        "enum_value_added_output",
        "enum.value-added",
        "shop/models.yaml",
        "values:",
        "- DELETED",
        "Status:",
    ),
    (
        "io_output_reshaped",
        "io.output-type",
        "shop/item.get.yaml",
        "output: Item",
        "output: ItemView",
        "",
    ),
    (
        "error_retryable_changed",
        "error.retryable",
        "shop/item.get.yaml",
        "ITEM_NOT_FOUND:",
        "retryable: true",
        "",
    ),
    (
        "event_payload_renamed",
        "io.payload-renamed",
        "shop/events/item.created.yaml",
        "payload: ItemCreatedPayload",
        "payload: ItemCreatedBody",
        "",
    ),
    (
        "version_bump_without_change",
        "meta.version",
        "shop/item.get.yaml",
        "version: 1.0.0",
        "version: 1.0.1",
        "",
    ),
]


@pytest.mark.parametrize(("name", "code", "file", "old", "new", "after"), LOCATED)
def test_change_is_located_at_the_node_that_changed(
    name: str, code: str, file: str, old: str, new: str, after: str
) -> None:
    changes, _ = case_changes(name)
    change = next(c for c in changes if c.code == code)
    folder = CASES_DIR / name
    assert change.old_loc is not None and change.new_loc is not None
    assert change.old_loc.file == f"old/{file}" and change.new_loc.file == f"new/{file}"
    assert change.old_loc.line == _line_of(folder / "old", file, old, after), change
    assert change.new_loc.line == _line_of(folder / "new", file, new, after), change
