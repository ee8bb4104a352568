"""The semver gate: which breaking changes a contract's stability allows.

A breaking change to a ``stable`` (or ``deprecated``) contract line needs a
major version bump, else it is an error. On ``experimental`` and ``beta`` it is
a warning; ``idea`` and ``in_creation`` contracts are not judged. Removing a
deprecated contract, or one that a newer major of the same key replaces, is
reported but allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from contractgen.diff.changes import Change, ContractRef, Verdict

Level = Literal["error", "warning", "notice"]
_LEVEL_RANK: dict[Level, int] = {"notice": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Finding:
    level: Level
    change: Change
    #: Why the level: the contract lines that fail or warn, with the reason.
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class GateResult:
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


def _judge_contract(change: Change, ref: ContractRef) -> tuple[Level, str]:
    removal = change.code in ("operation.removed", "event.removed")
    if ref.stability in ("idea", "in_creation"):
        return "notice", f"{ref.label} is {ref.stability}: not judged"
    if ref.major_bumped:
        return "notice", f"{ref.label}: allowed by the major version bump"
    if ref.stability in ("experimental", "beta"):
        return "warning", f"{ref.label} is {ref.stability}: breaking changes allowed, with care"
    if removal and ref.stability == "deprecated":
        return "warning", f"{ref.label} was deprecated: removal allowed"
    return "error", f"{ref.label} is {ref.stability}: breaking change needs a major version bump"


def gate(changes: Iterable[Change]) -> GateResult:
    """One finding per change, at the level its worst-judged contract line reaches."""
    findings: list[Finding] = []
    for change in changes:
        breaking = [i.contract for i in change.impacts if i.verdict is Verdict.BREAKING]
        if not breaking:
            orphan = change.verdict is Verdict.BREAKING and not change.impacts
            level: Level = "warning" if orphan else "notice"
            reasons: tuple[str, ...] = ()
            if level == "warning":
                reasons = ("no contract reaches it: only the generated Python changes",)
            findings.append(Finding(level, change, reasons))
            continue
        judged = [_judge_contract(change, ref) for ref in sorted(set(breaking))]
        top = max((lv for lv, _ in judged), key=lambda lv: _LEVEL_RANK[lv])
        findings.append(Finding(top, change, tuple(r for lv, r in judged if lv == top)))
    return GateResult(tuple(findings))
