"""One registry of every rule the tool applies: the diagnostic codes of the
loader and the build (``codes``), and the breaking-change rules of the differ
(``diff``). Each entry carries its id, title, what it catches, its level or
category, a hint and a before/after example; ``contractgen rules`` shows them
and docs/diagnostics.md and docs/diff.md are generated from them.
"""

from __future__ import annotations

import difflib

from contractgen.rules.codes import DIAGNOSTICS, GROUPS
from contractgen.rules.diff import CATEGORIES, DIFF_RULES
from contractgen.rules.model import DiagnosticRule, DiffRule, Rule

#: Every entry, diagnostics first, each kind in its own order.
ALL: tuple[Rule, ...] = (*DIAGNOSTICS, *DIFF_RULES)
BY_ID: dict[str, Rule] = {r.id: r for r in ALL}
assert len(BY_ID) == len(ALL), "two registry entries share an id"
#: Diagnostic code -> its title.
CODES: dict[str, str] = {d.code: d.title for d in DIAGNOSTICS}


def find(rule_id: str) -> Rule | None:
    """The entry of a code or rule id (diagnostic codes in any case)."""
    return BY_ID.get(rule_id) or BY_ID.get(rule_id.upper())


def suggest(rule_id: str) -> list[str]:
    """The ids closest to a misspelt one."""
    return difflib.get_close_matches(rule_id, list(BY_ID), n=3, cutoff=0.6)


__all__ = [
    "ALL",
    "BY_ID",
    "CATEGORIES",
    "CODES",
    "DIAGNOSTICS",
    "DIFF_RULES",
    "GROUPS",
    "DiagnosticRule",
    "DiffRule",
    "Rule",
    "find",
    "suggest",
]
