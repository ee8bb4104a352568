"""Values the differ produces: verdicts, the contracts a change touches, changes."""

from __future__ import annotations

from dataclasses import dataclass, field

from contractgen.rules.verdicts import SURFACES, Verdict, worst
from contractgen.spec.model import Loc, Stability, major

__all__ = ["SURFACES", "Change", "ContractRef", "Impact", "Verdict", "worst"]


@dataclass(frozen=True)
class ContractRef:
    """One contract line as the gate sees it: the same key in the old and new tree."""

    key: str
    kind: str  # command | query | event
    old_version: str | None
    new_version: str | None
    #: Stability in the old tree (the promise made to clients), else the new one.
    stability: Stability

    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.key, self.kind, self.old_version or "", self.new_version or "")

    def __lt__(self, other: ContractRef) -> bool:
        return self.sort_key() < other.sort_key()

    @property
    def label(self) -> str:
        if self.old_version and self.new_version and self.old_version != self.new_version:
            return f"{self.key}@{self.old_version}->{self.new_version}"
        return f"{self.key}@{self.new_version or self.old_version}"

    @property
    def major_bumped(self) -> bool:
        if self.old_version is None or self.new_version is None:
            return False
        return major(self.new_version) > major(self.old_version)


@dataclass(frozen=True)
class Impact:
    """How one change affects one contract line."""

    contract: ContractRef
    verdict: Verdict


@dataclass(frozen=True)
class Change:
    #: Stable rule code, e.g. ``field.removed``.
    code: str
    #: What changed, e.g. ``model RecordUsageInput field quantity``.
    subject: str
    message: str
    #: Verdict per surface; surfaces the change does not touch are absent.
    surfaces: dict[str, Verdict]
    old_loc: Loc | None = None
    new_loc: Loc | None = None
    impacts: tuple[Impact, ...] = field(default=())

    @property
    def verdict(self) -> Verdict:
        return worst(tuple(self.surfaces.values()))

    def on(self, surface: str) -> Verdict | None:
        return self.surfaces.get(surface)

    def sort_key(self) -> tuple[str, str, str]:
        return (self.subject, self.code, self.message)

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "verdict": self.verdict.value,
            "subject": self.subject,
            "message": self.message,
            "surfaces": {s: self.surfaces[s].value for s in SURFACES if s in self.surfaces},
            "old": str(self.old_loc) if self.old_loc else None,
            "new": str(self.new_loc) if self.new_loc else None,
            "contracts": [
                {"contract": i.contract.label, "verdict": i.verdict.value} for i in self.impacts
            ],
        }
