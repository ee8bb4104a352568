"""What an import carried, approximated and dropped, each loss located in the source.

A loss is a warning diagnostic (``CG710`` dropped, ``CG711`` approximated) at
the foreign node it is about, with that node's JSON pointer in the message.
``--strict`` turns every loss into an error. The report also keeps each loss's
pointer, so the round-trip comparison knows what the import did not claim to
carry.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from contractgen.diagnostics import Diagnostic, Level
from contractgen.import_.source import Loc, Sources

DROPPED = "CG710"
APPROXIMATED = "CG711"


@dataclass(frozen=True)
class Loss:
    code: str
    kind: str
    loc: Loc


@dataclass
class Report:
    sources: Sources
    strict: bool = False
    carried: Counter[str] = field(default_factory=Counter)
    losses: list[Loss] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _where: set[Loc] = field(default_factory=set)
    _indexed: int = 0

    def carry(self, kind: str, n: int = 1) -> None:
        self.carried[kind] += n

    def drop(self, kind: str, loc: Loc, message: str, hint: str | None = None) -> None:
        self._loss(DROPPED, kind, loc, message, hint)

    def approximate(self, kind: str, loc: Loc, message: str, hint: str | None = None) -> None:
        self._loss(APPROXIMATED, kind, loc, message, hint)

    def _loss(self, code: str, kind: str, loc: Loc, message: str, hint: str | None) -> None:
        self.losses.append(Loss(code, kind, loc))
        line, col = self.sources.position(loc, key=True)
        level = Level.ERROR if self.strict else Level.WARNING
        text = f"{message} (at {loc.pointer})"
        file = self.sources.shown(loc.file)
        self.diagnostics.append(Diagnostic(level, code, text, file, line, col, hint))

    def lost(self, loc: Loc) -> bool:
        """Whether a loss was reported at loc or at a node that holds it."""
        if self._indexed != len(self.losses):
            self._where = {loss.loc for loss in self.losses}
            self._indexed = len(self.losses)
        return any(Loc(loc.file, loc.path[:n]) in self._where for n in range(len(loc.path) + 1))

    def by_kind(self, code: str) -> Counter[str]:
        return Counter(loss.kind for loss in self.losses if loss.code == code)

    def summary(self) -> str:
        """What was imported, approximated and dropped, by kind."""

        def line(label: str, counts: Counter[str]) -> str:
            parts = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()) if n)
            return f"{label}: {parts or 'nothing'}"

        return "\n".join(
            [
                line("imported", self.carried),
                line("approximated", self.by_kind(APPROXIMATED)),
                line("dropped", self.by_kind(DROPPED)),
            ]
        )
