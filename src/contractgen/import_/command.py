"""``contractgen import openapi``: import, check, and write (or refuse), as one call."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from contractgen.diagnostics import Diagnostic
from contractgen.import_ import emit
from contractgen.import_.openapi import ImportOptions, ImportResult, import_openapi

#: The loader's code for an example that does not match its model, and how its
#: message names the example.
EXAMPLE_CODE = "CG501"
_NAMED = re.compile(r"example '([^']*)'")


@dataclass
class Outcome:
    result: ImportResult
    plan: emit.Plan | None = None
    written: list[str] = field(default_factory=list)
    #: A unified diff of the files edited by hand that the import would replace.
    refused: str = ""

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [*self.result.diagnostics, *(self.plan.diagnostics if self.plan else [])]

    @property
    def ok(self) -> bool:
        return not self.refused and not any(d.is_error for d in self.diagnostics)


def run(file: Path, into: Path, options: ImportOptions, force: bool = False) -> Outcome:
    """Imports file into the contracts folder into; writes only when all is well."""
    return finish(import_openapi(file, options), file.as_posix(), into, force)


def finish(result: ImportResult, source: str, into: Path, force: bool = False) -> Outcome:
    """Validates an import's files with the contracts in into, and writes them (or not)."""
    outcome = Outcome(result)
    if not outcome.result.ok:
        return outcome
    outcome.plan = emit.plan(into, outcome.result.domain, outcome.result.files, source)
    if drop_refused_examples(outcome.result, outcome.plan):
        outcome.plan = emit.plan(into, outcome.result.domain, outcome.result.files, source)
    if any(d.is_error for d in outcome.plan.diagnostics):
        return outcome
    if outcome.plan.changed and not force:
        outcome.refused = outcome.plan.diff()
        return outcome
    outcome.written = emit.write(outcome.plan)
    return outcome


def drop_refused_examples(result: ImportResult, plan: emit.Plan) -> bool:
    """Drops (and reports, at the source) the imported examples of each file in which
    the loader refused an example; whether any was dropped."""
    prefix = f"{plan.root.as_posix()}/{result.domain}/"
    refused: dict[tuple[str, str | None], str] = {}
    for d in plan.diagnostics:
        name = d.file.removeprefix(prefix)
        if d.code == EXAMPLE_CODE and d.is_error and name in result.example_locs:
            found = _NAMED.match(d.message)
            refused.setdefault((name, found.group(1) if found else None), d.message)
    for (name, example), message in refused.items():
        kept = []
        entries = result.files[name].get("examples", [])
        for entry, where in zip(entries, result.example_locs.get(name, []), strict=True):
            if example is None or entry["name"] == example:
                result.report.drop("examples", where, f"this example is refused: {message}")
            else:
                kept.append((entry, where))
        result.files[name]["examples"] = [entry for entry, _ in kept]
        result.example_locs[name] = [where for _, where in kept]
        if not kept:
            result.files[name].pop("examples", None)
    return bool(refused)
