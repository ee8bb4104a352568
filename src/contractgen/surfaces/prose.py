"""Sentences that more than one surface writes, worded in one place."""

from __future__ import annotations

from contractgen.spec.model import Field


def paragraphs(*parts: str | None) -> str:
    """The given texts that are not blank, stripped, as paragraphs (a blank line apart)."""
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def deprecation_note(f: Field) -> str:
    """A deprecated field's note, for surfaces that say it in words."""
    return "Deprecated" + (f": {f.deprecation_reason}" if f.deprecation_reason else ".")
