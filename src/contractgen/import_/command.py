"""``contractgen import openapi``: import, check, and write (or refuse), as one call."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from contractgen.diagnostics import Diagnostic
from contractgen.import_ import emit
from contractgen.import_.openapi import ImportOptions, ImportResult, import_openapi


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
    if any(d.is_error for d in outcome.plan.diagnostics):
        return outcome
    if outcome.plan.changed and not force:
        outcome.refused = outcome.plan.diff()
        return outcome
    outcome.written = emit.write(outcome.plan)
    return outcome
