"""``contractgen rules [CODE]``: list the registry, or explain one entry."""

from __future__ import annotations

import sys

from contractgen.rules import ALL, find, suggest
from contractgen.rules.render import (
    DOC_PARTS,
    explain,
    render_json,
    render_list,
    to_json,
)

FORMATS = ("text", "json", "markdown")


def run(code: str | None, fmt: str) -> int:
    """Prints the list (or one entry) in a format; returns the exit code (2: unknown code)."""
    if code is None:
        sys.stdout.write(_all(fmt))
        return 0
    rule = find(code)
    if rule is None:
        close = suggest(code)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        sys.stderr.write(f"error: no rule or diagnostic code '{code}'{hint}\n")
        sys.stderr.write("hint: 'contractgen rules' lists them all\n")
        return 2
    if fmt == "json":
        import json

        sys.stdout.write(json.dumps(to_json(rule), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(explain(rule))
    return 0


def _all(fmt: str) -> str:
    if fmt == "json":
        return render_json(ALL)
    if fmt == "markdown":
        return "\n".join(make() for _, make in DOC_PARTS.values())
    return render_list(ALL)
