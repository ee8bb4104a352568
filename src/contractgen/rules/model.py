"""The two kinds of registry entry: a diagnostic code and a breaking-change rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from contractgen.rules.verdicts import SURFACES, Verdict, worst


@dataclass(frozen=True)
class DiagnosticRule:
    """One stable diagnostic code of the loader or the build."""

    code: str
    title: str
    #: The hundred it belongs to, e.g. ``CG3xx``; see ``GROUPS``.
    group: str
    level: str
    #: What it catches (Markdown, one sentence or two).
    catches: str
    #: Real messages from the bad-input corpus (Markdown).
    examples: str
    #: How to fix it, in general.
    hint: str
    #: A contract snippet that gets the diagnostic, and the same one fixed.
    bad: str
    good: str

    @property
    def id(self) -> str:
        return self.code

    @property
    def kind(self) -> str:
        return "diagnostic"


#: A surface -> verdict table: what one case of a rule does to each surface.
Verdicts = Mapping[str, Verdict]


@dataclass(frozen=True)
class DiffRule:
    """One breaking-change rule of ``contractgen diff``.

    ``cases`` holds the verdicts per surface for each situation the rule
    tells apart: the direction a changed type is used in (``input``,
    ``output``, ``event``, ``unused``), or how a value moved (``tightened``,
    ``loosened``, ...). A single-case rule has the case ``any``. The differ
    reads its verdicts from here and nowhere else.
    """

    id: str
    title: str
    category: str
    catches: str
    cases: Mapping[str, Verdicts]
    hint: str
    #: A contract snippet before and after the change.
    before: str
    after: str

    @property
    def kind(self) -> str:
        return "diff"

    def verdicts(self, *cases: str) -> dict[str, Verdict]:
        """The verdicts of the named cases together: the worst per surface.

        An unknown case is a KeyError: a bug in the differ, caught by its tests.
        """
        merged: dict[str, list[Verdict]] = {}
        for case in cases:
            for surface, verdict in self.cases[case].items():
                merged.setdefault(surface, []).append(verdict)
        return {s: worst(merged[s]) for s in SURFACES if s in merged}

    @property
    def surfaces(self) -> tuple[str, ...]:
        """Every surface some case of the rule judges, in ``SURFACES`` order."""
        seen = {s for v in self.cases.values() for s in v}
        return tuple(s for s in SURFACES if s in seen)


Rule = DiagnosticRule | DiffRule
