"""The rule registry: every diagnostic code and diff rule has one entry, the
docs are generated from it, and ``contractgen rules`` shows it.

Regenerate the generated parts of docs/diagnostics.md and docs/diff.md after
changing an entry:

    CONTRACTGEN_UPDATE_GOLDEN=1 pytest tests/test_rules.py
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contractgen import rules
from contractgen.cli import app
from contractgen.diagnostics import CODES, error
from contractgen.rules import diff as R
from contractgen.rules.model import DiffRule
from contractgen.rules.render import markers, update_docs, with_part
from contractgen.rules.verdicts import SURFACES, Verdict

ROOT = Path(__file__).parent.parent
SRC = ROOT / "src" / "contractgen"
DOCS = ROOT / "docs"
UPDATE = os.environ.get("CONTRACTGEN_UPDATE_GOLDEN") == "1"
EMITTED = re.compile(r"""["'](CG\d{3})["']""")


def _emitted_codes() -> dict[str, list[str]]:
    """Code -> the source files that write it as a literal (the registry aside)."""
    found: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        if path.parent.name == "rules":
            continue
        for code in EMITTED.findall(path.read_text(encoding="utf-8")):
            found.setdefault(code, []).append(str(path.relative_to(SRC)))
    return found


def test_every_emitted_code_is_registered() -> None:
    unknown = {c: files for c, files in _emitted_codes().items() if rules.find(c) is None}
    assert not unknown, f"codes emitted without a registry entry: {unknown}"


def test_every_registered_code_is_emitted() -> None:
    emitted = _emitted_codes()
    silent = [d.code for d in rules.DIAGNOSTICS if d.code not in emitted]
    assert not silent, f"registered codes nothing emits: {silent}"


def test_codes_view_and_error_follow_the_registry() -> None:
    assert {d.code: d.title for d in rules.DIAGNOSTICS} == CODES
    assert error("CG301", "m", "f").code == "CG301"
    with pytest.raises(AssertionError):
        error("CG999", "m", "f")


def test_entries_are_complete() -> None:
    ids = [r.id for r in rules.ALL]
    assert len(ids) == len(set(ids))
    for r in rules.ALL:
        assert r.title and r.catches and r.hint, r.id
        if isinstance(r, DiffRule):
            assert r.before != r.after, r.id
            assert r.cases, r.id
            for verdicts in r.cases.values():
                assert verdicts and set(verdicts) <= set(SURFACES), r.id
            assert r.category in rules.CATEGORIES
        else:
            assert r.bad != r.good, r.id
            assert r.group in rules.GROUPS and r.code.startswith(r.group[:3])


def test_verdicts_merge_cases_and_refuse_unknown_ones() -> None:
    both = R.ENUM_VALUE_REMOVED.verdicts("input", "output", "event")
    assert both == {
        "rest": Verdict.BREAKING,
        "graphql": Verdict.BREAKING,
        "python": Verdict.BREAKING,
        "events": Verdict.DANGEROUS,
    }
    with pytest.raises(KeyError):
        R.POLICY_AUTH.verdicts("any")


def test_removing_an_error_code_breaks_python() -> None:
    assert R.ERROR_REMOVED.verdicts("any")["python"] is Verdict.BREAKING


# -- docs -------------------------------------------------------------------------------


def test_docs_are_generated_from_the_registry() -> None:
    stale = update_docs(DOCS, write=UPDATE)
    assert UPDATE or not stale, (
        f"{stale} differ from the registry: regenerate with "
        "CONTRACTGEN_UPDATE_GOLDEN=1 pytest tests/test_rules.py"
    )


def _block(page: str, name: str) -> str:
    begin, end = markers(name)
    text = (DOCS / page).read_text(encoding="utf-8")
    return text.split(begin, 1)[1].split(end, 1)[0]


def test_docs_name_every_rule_and_no_other() -> None:
    diag = set(re.findall(r"^\| (CG\d{3}) \|", _block("diagnostics.md", "diagnostics"), re.M))
    assert diag == {d.code for d in rules.DIAGNOSTICS}
    listed = set(re.findall(r"^\| `([a-z.-]+)` \|", _block("diff.md", "diff"), re.M))
    assert listed == {r.id for r in rules.DIFF_RULES}


def test_a_page_without_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="rules:diff:begin"):
        with_part("no markers here\n", "diff", "x\n")
    begin, end = markers("diff")
    page = f"a\n{begin}\nold\n{end}\nb\n"
    assert with_part(page, "diff", "new\n") == f"a\n{begin}\nnew\n{end}\nb\n"


# -- the command ----------------------------------------------------------------------------


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_rules_lists_every_entry(runner: CliRunner) -> None:
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [r.id for r in rules.ALL]
    assert re.match(
        r"^CG301 +error +unknown type$", lines[[r.id for r in rules.ALL].index("CG301")]
    )
    removed = next(line for line in lines if line.startswith("field.removed "))
    assert removed.split()[1:] == ["field", "field", "removed"]


def test_rules_json_has_every_field(runner: CliRunner) -> None:
    result = runner.invoke(app, ["rules", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["id"] for d in data] == [r.id for r in rules.ALL]
    by_id = {d["id"]: d for d in data}
    assert by_id["CG301"]["kind"] == "diagnostic"
    assert set(by_id["CG301"]) >= {"title", "group", "level", "catches", "hint", "bad", "good"}
    auth = by_id["policy.auth"]
    assert auth["cases"] == {
        "tightened": {"rest": "breaking", "graphql": "breaking"},
        "loosened": {"rest": "dangerous", "graphql": "dangerous"},
    }
    assert set(auth) >= {"category", "catches", "hint", "before", "after"}


def test_rules_explains_a_diagnostic_code(runner: CliRunner) -> None:
    result = runner.invoke(app, ["rules", "cg301"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("CG301: unknown type\n")
    assert "level: error (CG3xx: references)" in out
    assert "Bad:\n    fields:\n      name: {type: Strng}" in out
    assert "Good:\n    fields:\n      name: {type: String}" in out


def test_rules_explains_a_diff_rule_with_its_verdicts(runner: CliRunner) -> None:
    result = runner.invoke(app, ["rules", "field.now-optional"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "category: field" in out
    assert re.search(r"^    case +rest +graphql +python +events$", out, re.M)
    assert re.search(r"^    output +dangerous +breaking +dangerous +-$", out, re.M)
    assert re.search(r"^    event +- +breaking +dangerous +dangerous$", out, re.M)
    assert "Before:\n" in out and "After:\n" in out


def test_rules_explains_one_as_json(runner: CliRunner) -> None:
    result = runner.invoke(app, ["rules", "error.removed", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["cases"]["any"]["python"] == "breaking"


def test_unknown_rule_is_a_usage_error_with_a_suggestion(runner: CliRunner) -> None:
    result = runner.invoke(app, ["rules", "field.remove"])
    assert result.exit_code == 2
    assert "no rule or diagnostic code 'field.remove'" in result.stderr
    assert "did you mean 'field.removed'?" in result.stderr
    assert result.stdout == ""


def test_rules_markdown_is_what_the_docs_hold(runner: CliRunner) -> None:
    result = runner.invoke(app, ["rules", "--format", "markdown"])
    assert result.exit_code == 0
    assert _block("diagnostics.md", "diagnostics").strip() in result.stdout
    assert _block("diff.md", "diff").strip() in result.stdout
