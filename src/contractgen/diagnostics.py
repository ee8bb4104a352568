"""Diagnostics: located problems found in contracts, and their renderings.

A diagnostic is a value, never an exception: the loader collects them over the
whole tree so that one run reports every problem. Each code is stable and
has an entry in the rule registry (``contractgen.rules``), from which
docs/diagnostics.md is generated.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


def __getattr__(name: str) -> Any:
    """``CODES``: stable code -> title, a view of the registry
    (``contractgen.rules.codes``, where each code's group, meaning, hint and
    examples live). Imported on first use: commands that report nothing (a
    no-op build) do not load the registry."""
    if name == "CODES":
        from contractgen.rules import CODES

        return CODES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True, slots=True)
class Diagnostic:
    level: Level
    code: str
    message: str
    file: str
    line: int = 0
    col: int = 0
    hint: str | None = None
    related: tuple[tuple[str, int, int, str], ...] = field(default=())

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.col, self.code, self.message)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "level": self.level.value,
            "code": self.code,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "col": self.col,
        }
        if self.hint:
            data["hint"] = self.hint
        if self.related:
            data["related"] = [
                {"file": f, "line": ln, "col": c, "message": m} for f, ln, c, m in self.related
            ]
        return data


def error(
    code: str,
    message: str,
    file: str,
    line: int = 0,
    col: int = 0,
    hint: str | None = None,
    related: tuple[tuple[str, int, int, str], ...] = (),
) -> Diagnostic:
    from contractgen.rules import CODES

    assert code in CODES, code
    return Diagnostic(Level.ERROR, code, message, file, line, col, hint, related)


def did_you_mean(word: str, choices: Iterable[str], suffixes: Sequence[str] = ()) -> str | None:
    """A 'did you mean' hint for a misspelt name, or None when nothing is close."""
    meant = meant_name(word, choices, suffixes)
    return f"did you mean '{meant}'?" if meant else None


def meant_name(word: str, choices: Iterable[str], suffixes: Sequence[str] = ()) -> str | None:
    """The choice a misspelt name most likely meant, or None when nothing is close.

    What was meant comes first: the same name in another case, then the name
    with one of the usual suffixes (``OrderPlaced`` -> ``OrderPlacedPayload``,
    or ``OrderPlacedEvent`` -> ``OrderPlacedPayload``), then the closest spelling.
    """
    pool = list(choices)
    lowered = {c.lower(): c for c in pool}
    meant = lowered.get(word.lower()) or _with_suffix(word, lowered, suffixes)
    if meant is None:
        close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
        meant = close[0] if close else None
    return meant


def _with_suffix(word: str, lowered: dict[str, str], suffixes: Sequence[str]) -> str | None:
    """The choice that is word (or word without its own suffix) plus a suffix."""
    stems = [word] + [word[: -len(s)] for s in suffixes if word.endswith(s) and word != s]
    for stem in stems:
        for suffix in suffixes:
            found = lowered.get((stem + suffix).lower())
            if found is not None and found != word:
                return found
    return None


def sort_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diags), key=Diagnostic.sort_key)


# --- rendering -------------------------------------------------------------


class SourceCache:
    """Reads each file's lines once, for code frames."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self._lines: dict[str, list[str]] = {}

    def lines(self, file: str) -> list[str]:
        if file not in self._lines:
            path = Path(file)
            if not path.is_absolute() and self.root is not None:
                path = self.root / path
            try:
                text = path.read_bytes().decode("utf-8", errors="replace")
            except OSError:
                text = ""
            self._lines[file] = text.splitlines()
        return self._lines[file]


def _frame(diag: Diagnostic, sources: SourceCache) -> list[str]:
    if diag.line <= 0:
        return []
    lines = sources.lines(diag.file)
    if diag.line > len(lines):
        return []
    text = lines[diag.line - 1].replace("\t", " ")
    gutter = str(diag.line)
    pad = " " * len(gutter)
    caret = " " * max(diag.col - 1, 0) + "^"
    return [f" {pad} |", f" {gutter} | {text}", f" {pad} | {caret}"]


def render_text(diags: Sequence[Diagnostic], sources: SourceCache, frames: bool = True) -> str:
    out: list[str] = []
    for d in diags:
        where = f"{d.file}:{d.line}:{d.col}" if d.line else d.file
        out.append(f"{where}: {d.level.value}[{d.code}]: {d.message}")
        if frames:
            out.extend(_frame(d, sources))
        for f, ln, c, m in d.related:
            out.append(f"  note: {f}:{ln}:{c}: {m}")
        if d.hint:
            out.append(f"  hint: {d.hint}")
    return "\n".join(out)


def render_json(diags: Sequence[Diagnostic]) -> str:
    return json.dumps([d.to_json() for d in diags], indent=2, ensure_ascii=False)


def gh_escape(text: str, prop: bool = False) -> str:
    """Escapes text for a GitHub workflow command: its message, or (prop) a property."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(diags: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands, one annotation per diagnostic."""
    kinds = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}
    out = []
    for d in diags:
        props = [f"file={gh_escape(d.file, True)}"]
        if d.line:
            props.append(f"line={d.line}")
            props.append(f"col={d.col}")
        props.append(f"title={gh_escape(d.code, True)}")
        message = d.message + (f" ({d.hint})" if d.hint else "")
        out.append(f"::{kinds[d.level]} {','.join(props)}::{gh_escape(message)}")
    return "\n".join(out)


def summary(diags: Sequence[Diagnostic]) -> str:
    errors = sum(1 for d in diags if d.level is Level.ERROR)
    warnings = sum(1 for d in diags if d.level is Level.WARNING)
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
