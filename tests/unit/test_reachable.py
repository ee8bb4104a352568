"""The one walk over references."""

from __future__ import annotations

from contractgen.spec.model import reachable


def test_reachable_follows_edges_once_through_cycles() -> None:
    graph = {"A": ["B"], "B": ["C", "A"], "C": [], "D": ["A"]}
    asked: list[str] = []

    def edges(node: str) -> list[str]:
        asked.append(node)
        return graph[node]

    assert reachable(["A"], edges) == {"A", "B", "C"}
    assert sorted(asked) == ["A", "B", "C"]
    assert reachable([], edges) == set()
    assert reachable(["D", "C"], graph.__getitem__) == {"A", "B", "C", "D"}
