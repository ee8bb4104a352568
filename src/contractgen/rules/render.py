"""Renderings of the registry: the ``contractgen rules`` outputs and the
generated parts of docs/diagnostics.md and docs/diff.md.

The docs hold each generated part between two marker lines,
``<!-- rules:NAME:begin -->`` and ``<!-- rules:NAME:end -->``;
``update_docs`` rewrites what lies between them (``CONTRACTGEN_UPDATE_GOLDEN=1
pytest tests/test_rules.py``), and the same test fails when they drift.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from contractgen.rules.codes import DIAGNOSTICS, GROUPS
from contractgen.rules.diff import CATEGORIES, DIFF_RULES
from contractgen.rules.model import DiagnosticRule, DiffRule, Rule

# -- the command's outputs -------------------------------------------------------------


def _label(rule: Rule) -> str:
    return rule.level if isinstance(rule, DiagnosticRule) else rule.category


def render_list(rules: Sequence[Rule]) -> str:
    """One line per entry: id, level or category, title."""
    width = max((len(r.id) for r in rules), default=0)
    return "".join(f"{r.id:<{width}}  {_label(r):<9}  {r.title}\n" for r in rules)


def to_json(rule: Rule) -> dict[str, object]:
    data: dict[str, object] = {"id": rule.id, "kind": rule.kind, "title": rule.title}
    if isinstance(rule, DiagnosticRule):
        data |= {"group": rule.group, "level": rule.level, "catches": rule.catches}
        data |= {"examples": rule.examples, "hint": rule.hint}
        data |= {"bad": rule.bad, "good": rule.good}
    else:
        cases = {c: {s: v.value for s, v in vs.items()} for c, vs in rule.cases.items()}
        data |= {"category": rule.category, "catches": rule.catches, "cases": cases}
        data |= {"hint": rule.hint, "before": rule.before, "after": rule.after}
    return data


def render_json(rules: Sequence[Rule]) -> str:
    return json.dumps([to_json(r) for r in rules], indent=2, ensure_ascii=False) + "\n"


def _indented(text: str) -> list[str]:
    return ["    " + line for line in text.splitlines()]


def explain(rule: Rule) -> str:
    """One entry in full, as ``contractgen rules CODE`` prints it."""
    out = [f"{rule.id}: {rule.title}", ""]
    if isinstance(rule, DiagnosticRule):
        out += [f"level: {rule.level} ({rule.group}: {GROUPS[rule.group][0]})", ""]
        out += ["Catches: " + rule.catches, "", "For example: " + rule.examples, ""]
        out += ["Hint: " + rule.hint, "", "Bad:", *_indented(rule.bad), ""]
        out += ["Good:", *_indented(rule.good)]
    else:
        out += [f"category: {rule.category} ({CATEGORIES[rule.category]})", ""]
        out += ["Catches: " + rule.catches, "", "Verdicts:", *_verdict_table(rule), ""]
        out += ["Hint: " + rule.hint, "", "Before:", *_indented(rule.before), ""]
        out += ["After:", *_indented(rule.after)]
    return "\n".join(out) + "\n"


def _verdict_table(rule: DiffRule) -> list[str]:
    surfaces = rule.surfaces
    width = max(len(c) for c in rule.cases)
    rows = [f"    {'case':<{width}}  " + "  ".join(f"{s:<9}" for s in surfaces)]
    for case, verdicts in rule.cases.items():
        cells = [verdicts[s].value if s in verdicts else "-" for s in surfaces]
        rows.append(f"    {case:<{width}}  " + "  ".join(f"{c:<9}" for c in cells))
    return [r.rstrip() for r in rows]


# -- the docs ------------------------------------------------------------------------------


def _sections(sections: Sequence[tuple[str, str, list[list[str]]]], header: list[str]) -> str:
    """Markdown sections (heading, note, rows of cells), each with one table."""
    out: list[str] = []
    for heading, note, rows in sections:
        out += [heading, ""] + ([note, ""] if note else [])
        out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def diagnostics_markdown() -> str:
    """The code tables of docs/diagnostics.md: one section per group."""
    sections = [
        (
            f"## {group}: {heading}",
            note,
            [[d.code, d.catches, d.examples] for d in DIAGNOSTICS if d.group == group],
        )
        for group, (heading, note) in GROUPS.items()
    ]
    return _sections(sections, ["code", "meaning", "example"])


def _verdicts_cell(rule: DiffRule) -> str:
    parts = []
    for case, verdicts in rule.cases.items():
        listed = ", ".join(f"{s} {v.letter}" for s, v in verdicts.items())
        parts.append(listed if case == "any" else f"*{case}*: {listed}")
    return "<br>".join(parts)


def diff_markdown() -> str:
    """The rule table of docs/diff.md: one section per category."""
    sections = [
        (
            f"### {category}: {what}",
            "",
            [
                [f"`{r.id}`", r.catches, _verdicts_cell(r)]
                for r in DIFF_RULES
                if r.category == category
            ],
        )
        for category, what in CATEGORIES.items()
    ]
    return _sections(sections, ["rule", "catches", "verdicts"])


#: Generated part -> (docs page, the function that makes it).
DOC_PARTS = {
    "diagnostics": ("diagnostics.md", diagnostics_markdown),
    "diff": ("diff.md", diff_markdown),
}


def markers(name: str) -> tuple[str, str]:
    return f"<!-- rules:{name}:begin -->", f"<!-- rules:{name}:end -->"


def with_part(page: str, name: str, body: str) -> str:
    """The page with the text between the part's markers replaced by body."""
    begin, end = markers(name)
    head, found, rest = page.partition(begin + "\n")
    if not found or end not in rest:
        raise ValueError(f"the page has no {begin} ... {end} block")
    _, _, tail = rest.partition(end)
    return f"{head}{begin}\n{body}{end}{tail}"


def update_docs(docs: Path, write: bool) -> list[str]:
    """The docs pages whose generated parts are out of date (rewritten when write)."""
    stale = []
    for name, (page, make) in DOC_PARTS.items():
        path = docs / page
        text = path.read_text(encoding="utf-8")
        fresh = with_part(text, name, make())
        if fresh != text:
            stale.append(page)
            if write:
                path.write_text(fresh, encoding="utf-8")
    return stale
