"""A small, fast YAML writer for JSON-like data (dict, list, str, int, float, bool, None).

PyYAML's dumper spends most of its time in per-node Python machinery
(representers, resolvers); for a 1,300-operation OpenAPI document that was
most of the build. This writer handles only the data our surfaces produce, in
block style with keys in insertion order, and quotes every string that YAML
could read as anything but that same string. ``yaml.safe_load`` of the output
gives back the input exactly (tested with generated data).
"""

from __future__ import annotations

import functools
import json
import json.encoder
import math
import re
from typing import Any

#: Plain (unquoted) scalars we allow: a conservative subset of YAML's plain style.
_PLAIN = re.compile(r"[A-Za-z_/.$][A-Za-z0-9 _./$()+:,-]*\Z")
#: Plain strings YAML 1.1 or 1.2 would read as something else.
_RESERVED = frozenset(
    {
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
        "null", "Null", "NULL", "~",
    }
)  # fmt: skip
_NUMBERISH = re.compile(r"[-+.]?(?:\.?[0-9]|\.(?:inf|Inf|INF|nan|NaN|NAN))")
#: A JSON string literal, unicode kept: what json.dumps(text, ensure_ascii=False) gives,
#: without making a new encoder per call.
_json_string = json.encoder.encode_basestring


def _plain_ok(text: str) -> bool:
    return (
        bool(_PLAIN.match(text))
        and text not in _RESERVED
        and not _NUMBERISH.match(text)
        and not text.endswith((" ", ":"))
        and " #" not in text
        and ": " not in text
    )


def _block_ok(text: str) -> bool:
    """Whether a literal block scalar (|) holds text exactly, simply."""
    if not text.strip("\n") or text.endswith("\n\n") or "\r" in text or "\t" in text:
        return False
    # No line may start or end with a space.
    if text.startswith(" ") or text.endswith(" ") or "\n " in text or " \n" in text:
        return False
    return text.replace("\n", "").isprintable()


def _quote(text: str) -> str:
    """A double-quoted scalar: JSON escapes, plus YAML escapes for unprintables."""
    quoted = _json_string(text)
    if quoted.isprintable():
        return quoted
    return "".join(
        ch
        if ch.isprintable()
        else (f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
        for ch in quoted
    )


@functools.lru_cache(maxsize=8192)
def _string(text: str) -> str:
    """A one-line string scalar: plain when YAML reads it back unchanged, else quoted."""
    return text if _plain_ok(text) else _quote(text)


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        if "e" in text and "." not in text:  # YAML 1.1 readers need the dot: 1.0e-05
            mantissa, exponent = text.split("e")
            text = f"{mantissa}.0e{exponent}"
        return text
    if isinstance(value, str):
        return _string(value)
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def _key(key: Any) -> str:
    if not isinstance(key, str):
        raise TypeError("mapping keys must be strings")
    return _string(key)


def _block(text: str, indent: str) -> str:
    """A literal block: '|' keeps one final newline, '|-' means there is none."""
    chomp = "" if text.endswith("\n") else "-"
    lines = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
    rendered = "\n".join(indent + line if line else "" for line in lines)
    return f"|{chomp}\n{rendered}"


class Reused:
    """A non-empty mapping or list that appears in many documents at the same depth.

    Its YAML lines are written once per indentation and the text is reused, so a
    piece shared by many documents (a schema, an operation) costs one
    serialization. The value must not change once it has been written.
    """

    __slots__ = ("_text", "value")

    def __init__(self, value: dict[str, Any] | list[Any]) -> None:
        self.value = value
        self._text: dict[str, str] = {}

    def text(self, indent: str) -> str:
        """The lines of the value below its 'key:' or '-' line, at indent."""
        text = self._text.get(indent)
        if text is None:
            out: list[str] = []
            if isinstance(self.value, dict):
                _mapping(self.value, indent, out)
            else:
                _sequence(self.value, indent, out)
            text = self._text[indent] = "\n".join(out)
        return text


class Prerendered:
    """YAML lines written beforehand (by ``Reused.text``, say) and kept as text.

    A cache can store the text of a non-empty mapping or list and place it in a
    later document without the value: ``text`` is what ``Reused(value).text(indent)``
    gives, and the node may only stand where its lines go at that same indent
    (as a mapping's value; as a sequence item its lines follow the '-' line).
    """

    __slots__ = ("indent", "text")

    def __init__(self, text: str, indent: str) -> None:
        if not text or text.isspace():
            raise ValueError("pre-rendered YAML must not be empty")
        self.text = text
        self.indent = indent

    def at(self, indent: str) -> str:
        """The text, checked to belong at indent."""
        if indent != self.indent:
            raise ValueError(
                f"YAML written at indent {len(self.indent)} placed at indent {len(indent)}"
            )
        return self.text


def _value(value: Any, indent: str, out: list[str], prefix: str) -> None:
    """Appends value, whose first line starts with prefix ('key:' or '-')."""
    kind = type(value)
    if kind is str:  # the common case first; exact types only, subclasses go the long way
        if "\n" in value and _block_ok(value):
            out.append(f"{prefix} {_block(value, indent)}")
        else:
            out.append(f"{prefix} {_string(value)}")
    elif kind is Reused and value.value:
        out.append(prefix)
        out.append(value.text(indent))
    elif kind is Reused:
        _value(value.value, indent, out, prefix)
    elif kind is Prerendered:
        out.append(prefix)
        out.append(value.at(indent))
    elif isinstance(value, dict):
        if not value:
            out.append(f"{prefix} {{}}")
            return
        out.append(prefix)
        _mapping(value, indent, out)
    elif isinstance(value, list):
        if not value:
            out.append(f"{prefix} []")
            return
        out.append(prefix)
        _sequence(value, indent, out)
    elif isinstance(value, str) and "\n" in value and _block_ok(value):
        out.append(f"{prefix} {_block(value, indent)}")
    else:
        out.append(f"{prefix} {scalar(value)}")


def _mapping(data: dict[str, Any], indent: str, out: list[str], lead: str = "") -> None:
    """Appends the entries of data at indent; lead, if given, starts the first line instead
    (the '- ' of a sequence item)."""
    inner = indent + "  "
    for key, value in data.items():
        prefix = f"{lead or indent}{_string(key) if type(key) is str else _key(key)}:"
        lead = ""
        # The two commonest cases inline: a one-line string and a non-empty mapping.
        kind = type(value)
        if kind is str and "\n" not in value:
            out.append(f"{prefix} {_string(value)}")
        elif kind is dict and value:
            out.append(prefix)
            _mapping(value, inner, out)
        elif kind is Prerendered:
            out.append(prefix)
            out.append(value.at(inner))
        else:
            _value(value, inner, out, prefix)


def _sequence(items: list[Any], indent: str, out: list[str]) -> None:
    inner = indent + "  "
    for item in items:
        if type(item) is Reused:
            item = item.value
        if type(item) is str and "\n" not in item:
            out.append(f"{indent}- {_string(item)}")
        elif isinstance(item, dict) and item:
            _mapping(item, inner, out, f"{indent}- ")
        else:
            _value(item, inner, out, f"{indent}-")


def dump(data: Any) -> str:
    """YAML text of data, ending with a newline."""
    if type(data) is Reused:
        data = data.value
    if type(data) is Prerendered:
        return data.at("") + "\n"
    out: list[str] = []
    if isinstance(data, dict) and data:
        _mapping(data, "", out)
    elif isinstance(data, list) and data:
        _sequence(data, "", out)
    elif isinstance(data, str) and data.startswith("..."):
        out.append(_quote(data))  # plain, a leading '...' would read as the document's end
    else:
        out.append(scalar(data) if not isinstance(data, (dict, list)) else json.dumps(data))
    return "\n".join(out) + "\n"
