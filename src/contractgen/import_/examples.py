"""Named example values of a request body or a response (OpenAPI ``example`` and
``examples``), for the contract's ``examples``.

``example`` is named ``example``; each entry of ``examples`` keeps its name
(a ``$ref`` to ``components/examples`` is followed); an ``externalValue`` is not
fetched (a reported loss). The import pairs the body's and the success
response's examples by name; the loader checks them, and ``command.finish``
drops (and reports) those it refuses.
"""

from __future__ import annotations

from typing import Any

from contractgen.import_.report import Report
from contractgen.import_.source import Loc, Sources, resolve_ref

#: Example name -> (its value, where the value is).
Named = dict[str, tuple[Any, Loc]]


def collect(
    sources: Sources, report: Report, node: Any, loc: Loc, into: Named, described: dict[str, str]
) -> None:
    """Adds the examples of one media type's 'example' (node at loc) or 'examples', and
    their descriptions (or summaries) to described."""
    if loc.path[-1] == "example":
        into.setdefault("example", (node, loc))
        return
    for name, entry in node.items() if isinstance(node, dict) else ():
        where = loc.at(name)
        if isinstance(entry, dict) and "$ref" in entry:
            target = resolve_ref(sources, str(entry["$ref"]), where)
            if target is None:
                continue
            entry, where = sources.node(target), target
        if not (isinstance(entry, dict) and "value" in entry):
            report.drop("examples", where, "an example without a value is not carried")
            continue
        into.setdefault(name, (entry["value"], where.at("value")))
        text = entry.get("description") or entry.get("summary")
        if isinstance(text, str):
            described[name] = text
        if "description" in entry and "summary" in entry:
            report.drop("examples", where.at("summary"), "the summary beside a description")
