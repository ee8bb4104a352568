"""Renderings of a diff: text, JSON, a Markdown section, GitHub annotations."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from contractgen.diagnostics import gh_escape
from contractgen.diff.changes import SURFACES, Change, Verdict
from contractgen.diff.gate import Finding, GateResult
from contractgen.spec import Loc

FORMATS = ("text", "json", "markdown", "github")
_ORDER = (Verdict.BREAKING, Verdict.DANGEROUS, Verdict.SAFE, Verdict.INFO)


def _surfaces(change: Change) -> str:
    return ", ".join(f"{s}={change.surfaces[s].value}" for s in SURFACES if s in change.surfaces)


@dataclass(frozen=True)
class Places:
    """How the user names each side's files: a spec path (``Loc.file``, below the
    contracts root's parent) -> the path shown, relative to the working folder
    ('HEAD:services/api/contracts/a.yaml' for a base read from git). A path not
    listed is shown as it is."""

    old: Mapping[str, str] = field(default_factory=dict)
    new: Mapping[str, str] = field(default_factory=dict)

    def old_at(self, loc: Loc | None) -> str | None:
        return None if loc is None else f"{self.old.get(loc.file, loc.file)}:{loc.line}:{loc.col}"

    def new_at(self, loc: Loc | None) -> str | None:
        return None if loc is None else f"{self.new.get(loc.file, loc.file)}:{loc.line}:{loc.col}"


def _where(change: Change, places: Places) -> str:
    old = places.old_at(change.old_loc) or "-"
    new = places.new_at(change.new_loc) or "-"
    return f"old {old}, new {new}"


def counts(gate: GateResult) -> str:
    c = Counter(f.change.verdict for f in gate.findings)
    parts = ", ".join(f"{c[v]} {v.value}" for v in _ORDER)
    total = len(gate.findings)
    return f"{total} change{'' if total == 1 else 's'}: {parts}"


def verdict_line(gate: GateResult) -> str:
    state = "passed" if gate.ok else "FAILED"
    return f"semver gate {state}: {len(gate.errors)} errors, {len(gate.warnings)} warnings"


def _ordered(gate: GateResult) -> list[Finding]:
    return sorted(
        gate.findings,
        key=lambda f: (-f.change.verdict.rank, f.change.sort_key()),
    )


def render_text(gate: GateResult, places: Places = Places()) -> str:
    out: list[str] = []
    for f in _ordered(gate):
        ch = f.change
        out.append(f"{ch.verdict.value:<9} {ch.subject}: {ch.message} [{ch.code}]")
        out.append(f"          surfaces: {_surfaces(ch)}")
        out.append(f"          {_where(ch, places)}")
        for reason in f.reasons:
            out.append(f"          {f.level}: {reason}")
    out.append(counts(gate))
    out.append(verdict_line(gate))
    return "\n".join(out) + "\n"


def render_json(gate: GateResult, places: Places = Places()) -> str:
    data = {
        "ok": gate.ok,
        "changes": [
            {
                **f.change.to_json(),
                "old": places.old_at(f.change.old_loc),
                "new": places.new_at(f.change.new_loc),
                "gate": f.level,
                "reasons": list(f.reasons),
            }
            for f in _ordered(gate)
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_markdown(
    gate: GateResult, title: str = "Contract changes", places: Places = Places()
) -> str:
    out = [f"## {title}", "", f"{counts(gate)}. {verdict_line(gate)}.", ""]
    if not gate.findings:
        out.append("No contract changes.")
        return "\n".join(out) + "\n"
    out.append("| Verdict | Change | Surfaces | Where | Gate |")
    out.append("|---|---|---|---|---|")
    for f in _ordered(gate):
        ch = f.change
        change = f"**{_md(ch.subject)}**: {_md(ch.message)} (`{ch.code}`)"
        where = _md(places.new_at(ch.new_loc) or places.old_at(ch.old_loc) or "")
        gate_cell = f.level + ("".join(f"<br>{_md(r)}" for r in f.reasons))
        out.append(
            f"| {ch.verdict.value} | {change} | {_md(_surfaces(ch))} | `{where}` | {gate_cell} |"
        )
    return "\n".join(out) + "\n"


def render_github(gate: GateResult, places: Places = Places()) -> str:
    """Workflow commands. An annotation names a file of the new tree, where the
    change can be seen in the pull request; a change only the base shows (a
    contract removed) gets an annotation without a place."""
    out = []
    for f in _ordered(gate):
        ch = f.change
        loc = ch.new_loc
        props = []
        if loc is not None:
            file = places.new.get(loc.file, loc.file)
            props += [f"file={gh_escape(file, True)}", f"line={loc.line}", f"col={loc.col}"]
        props.append(f"title={gh_escape(f'{ch.verdict.value} {ch.code}', True)}")
        message = f"{ch.subject}: {ch.message} ({_surfaces(ch)})"
        if f.reasons:
            message += "; " + "; ".join(f.reasons)
        out.append(f"::{f.level} {','.join(props)}::{gh_escape(message)}")
    closing = gh_escape(counts(gate) + "; " + verdict_line(gate))
    out.append(f"::notice title=contractgen diff::{closing}")
    return "\n".join(out) + "\n"


def render(gate: GateResult, fmt: str, places: Places = Places()) -> str:
    if fmt == "json":
        return render_json(gate, places)
    if fmt == "markdown":
        return render_markdown(gate, places=places)
    if fmt == "github":
        return render_github(gate, places)
    return render_text(gate, places)
