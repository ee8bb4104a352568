"""Sentences that more than one surface writes, worded in one place."""

from __future__ import annotations

import json
from typing import Any

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


def json_text(value: Any) -> str:
    """A JSON value as the contract's reader knows it: compact JSON, text unquoted."""
    return value if isinstance(value, str) else json.dumps(value, separators=(", ", ": "))


def constraint_parts(f: Field) -> list[str]:
    """A field's constraints as 'keyword: value' texts ('minimum: 1', 'pattern: ^a$')."""
    return [f"{k}: {json_text(v)}" for k, v in f.constraints]


def field_notes(f: Field, with_default: bool = True) -> str | None:
    """What a surface without a place for 1.1 field keys says in words: the map's
    shape, the constraints and (with_default) the default."""
    parts = []
    if f.map:
        parts.append(f"A map: string keys, {f.shown_type} values.")
    if f.constraints:
        parts.append("Constraints: " + ", ".join(constraint_parts(f)) + ".")
    if with_default and f.has_default:
        parts.append(f"Default: {json.dumps(f.default)}.")
    return " ".join(parts) or None
