"""Escaping of contract text for Python source: string literals and docstrings;
and the order of imported names.

All produce text that ``ruff format`` (and ruff's ``I`` rules) leave as it is, so
the generated modules are clean without running a formatter.
"""

from __future__ import annotations

import functools

_SIMPLE = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(ch: str) -> str:
    if ch in _SIMPLE:
        return _SIMPLE[ch]
    if ch.isprintable():
        return ch
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


@functools.lru_cache(maxsize=8192)
def py_str(text: str) -> str:
    """A Python string literal for text, quoted the way ruff format prefers.

    Double quotes unless the text holds more double than single quotes (the
    formatter's rule), with only the chosen quote escaped.
    """
    quote = "'" if text.count('"') > text.count("'") else '"'
    if text.isprintable():  # the common case: only backslashes and the quote need escapes
        body = text.replace("\\", "\\\\").replace(quote, "\\" + quote)
    else:
        body = "".join("\\" + ch if ch == quote else _escape_char(ch) for ch in text)
    return f"{quote}{body}{quote}"


@functools.lru_cache(maxsize=8192)
def docstring_body(text: str) -> str:
    """Text made safe between triple double quotes; lines keep their breaks.

    Backslashes and every double quote are escaped (so no run of quotes can
    end the docstring early, and none can touch the closing quotes), other
    control characters become escapes, and trailing spaces are dropped (the
    formatter drops them too). ``inspect.getdoc`` of the result gives the text back.
    """
    lines = []
    for raw in text.strip().replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        if line.isprintable():  # the common case: only backslashes and quotes need escapes
            escaped = line.replace("\\", "\\\\").replace('"', '\\"')
        else:
            escaped = "".join("\\" + ch if ch == '"' else _escape_char(ch) for ch in line)
        lines.append(escaped)
    return "\n".join(lines)


def docstring(text: str, indent: str) -> str:
    """A whole docstring statement at the given indentation (no trailing newline)."""
    body = docstring_body(text)
    lines = body.split("\n")
    if len(lines) == 1:
        return f'{indent}"""{body}"""'
    out = [f'{indent}"""{lines[0]}']
    out.extend(f"{indent}{line}" if line else "" for line in lines[1:])
    out.append(f'{indent}"""')
    return "\n".join(out)


def import_key(name: str) -> tuple[int, str, str]:
    """isort's order of one imported name: constants, then classes, then the rest,
    each without regard to case."""
    group = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return (group, name.lower(), name)
