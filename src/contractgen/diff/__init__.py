"""Breaking-change detection between two contract trees.

``compare(old, new)`` lists every change with its verdict per surface;
``gate(changes)`` applies the semver rules; ``load_base(against, root)`` reads
the base tree from a git revision or a folder. docs/diff.md lists the rules.
"""

from __future__ import annotations

from contractgen.diff.base import load_base, load_git
from contractgen.diff.changes import SURFACES, Change, ContractRef, Impact, Verdict
from contractgen.diff.compare import compare
from contractgen.diff.gate import Finding, GateResult, gate
from contractgen.diff.report import FORMATS, Places, render

__all__ = [
    "FORMATS",
    "SURFACES",
    "Change",
    "ContractRef",
    "Finding",
    "GateResult",
    "Impact",
    "Places",
    "Verdict",
    "compare",
    "gate",
    "load_base",
    "load_git",
    "render",
]
