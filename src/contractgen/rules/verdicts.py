"""Verdicts of the breaking-change rules, from harmless to breaking.

Kept apart from ``contractgen.diff`` so that the rule registry (which states a
verdict per surface for every rule) imports nothing of the differ.
"""

from __future__ import annotations

from enum import Enum


class Verdict(str, Enum):
    """How a change affects existing clients, from harmless to breaking."""

    INFO = "info"
    SAFE = "safe"
    DANGEROUS = "dangerous"
    BREAKING = "breaking"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def letter(self) -> str:
        """The one-letter form the rule tables use: I, S, D, B."""
        return self.value[0].upper()


_RANK = {Verdict.INFO: 0, Verdict.SAFE: 1, Verdict.DANGEROUS: 2, Verdict.BREAKING: 3}


def worst(verdicts: list[Verdict] | tuple[Verdict, ...]) -> Verdict:
    return max(verdicts, key=lambda v: v.rank, default=Verdict.INFO)


#: The surfaces a change is judged on. ``errors`` is the error catalogue clients
#: branch on (codes, statuses, retryability); ``events`` is the event payload wire.
SURFACES = ("rest", "graphql", "python", "events", "errors")
