"""Sentences that more than one surface writes, worded in one place."""

from __future__ import annotations

from contractgen.spec.model import EnumType, EnumValue, Field


def paragraphs(*parts: str | None) -> str:
    """The given texts that are not blank, stripped, as paragraphs (a blank line apart)."""
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def deprecation_note(f: Field | EnumValue) -> str:
    """A deprecated field's note, for surfaces that say it in words."""
    return "Deprecated" + (f": {f.deprecation_reason}" if f.deprecation_reason else ".")


def value_note(v: EnumValue) -> str | None:
    """An enum value's description and deprecation in one line (None: it has neither)."""
    text = (v.description or "").strip()
    parts = [text if text.endswith((".", "!", "?")) else text + "."] if text else []
    if v.deprecated:
        parts.append(deprecation_note(v))
    return " ".join(parts) or None


def value_notes(e: EnumType) -> str | None:
    """The list of an enum's values that carry notes, for surfaces without a place for
    them ('- `in-progress`: Work has started.'); None when no value has one."""
    lines = [f"- `{v.value}`: {note}" for v in e.members if (note := value_note(v))]
    return "\n".join(lines) or None
