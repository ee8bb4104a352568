"""Renderings of a diff: text, JSON, a Markdown section, GitHub annotations."""

from __future__ import annotations

import json
from collections import Counter

from contractgen.diff.changes import SURFACES, Change, Verdict
from contractgen.diff.gate import Finding, GateResult

FORMATS = ("text", "json", "markdown", "github")
_ORDER = (Verdict.BREAKING, Verdict.DANGEROUS, Verdict.SAFE, Verdict.INFO)


def _surfaces(change: Change) -> str:
    return ", ".join(f"{s}={change.surfaces[s].value}" for s in SURFACES if s in change.surfaces)


def _where(change: Change) -> str:
    old = str(change.old_loc) if change.old_loc else "-"
    new = str(change.new_loc) if change.new_loc else "-"
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


def render_text(gate: GateResult) -> str:
    out: list[str] = []
    for f in _ordered(gate):
        ch = f.change
        out.append(f"{ch.verdict.value:<9} {ch.subject}: {ch.message} [{ch.code}]")
        out.append(f"          surfaces: {_surfaces(ch)}")
        out.append(f"          {_where(ch)}")
        for reason in f.reasons:
            out.append(f"          {f.level}: {reason}")
    out.append(counts(gate))
    out.append(verdict_line(gate))
    return "\n".join(out) + "\n"


def render_json(gate: GateResult) -> str:
    data = {
        "ok": gate.ok,
        "changes": [
            {**f.change.to_json(), "gate": f.level, "reasons": list(f.reasons)}
            for f in _ordered(gate)
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_markdown(gate: GateResult, title: str = "Contract changes") -> str:
    out = [f"## {title}", "", f"{counts(gate)}. {verdict_line(gate)}.", ""]
    if not gate.findings:
        out.append("No contract changes.")
        return "\n".join(out) + "\n"
    out.append("| Verdict | Change | Surfaces | Where | Gate |")
    out.append("|---|---|---|---|---|")
    for f in _ordered(gate):
        ch = f.change
        change = f"**{_md(ch.subject)}**: {_md(ch.message)} (`{ch.code}`)"
        where = _md(str(ch.new_loc or ch.old_loc or ""))
        gate_cell = f.level + ("".join(f"<br>{_md(r)}" for r in f.reasons))
        out.append(
            f"| {ch.verdict.value} | {change} | {_md(_surfaces(ch))} | `{where}` | {gate_cell} |"
        )
    return "\n".join(out) + "\n"


def _gh(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(gate: GateResult) -> str:
    out = []
    for f in _ordered(gate):
        ch = f.change
        loc = ch.new_loc or ch.old_loc
        props = []
        if loc is not None:
            props += [f"file={_gh(loc.file, True)}", f"line={loc.line}", f"col={loc.col}"]
        props.append(f"title={_gh(f'{ch.verdict.value} {ch.code}', True)}")
        message = f"{ch.subject}: {ch.message} ({_surfaces(ch)})"
        if f.reasons:
            message += "; " + "; ".join(f.reasons)
        out.append(f"::{f.level} {','.join(props)}::{_gh(message)}")
    out.append(f"::notice title=contractgen diff::{_gh(counts(gate) + '; ' + verdict_line(gate))}")
    return "\n".join(out) + "\n"


def render(gate: GateResult, fmt: str) -> str:
    if fmt == "json":
        return render_json(gate)
    if fmt == "markdown":
        return render_markdown(gate)
    if fmt == "github":
        return render_github(gate)
    return render_text(gate)
