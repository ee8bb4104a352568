"""What a contract file that cannot be parsed still tells, read line by line.

A file with a YAML syntax error defines nothing the loader can use, but its
models, enums and event are still what other files refer to. Their names,
read from the text as well as a broken file allows, keep those references
from being reported as unknown: the file's own error is the one to fix.
Only files that failed to parse come here.
"""

from __future__ import annotations

import re

_SECTION = re.compile(r"^(models|enums|unions):[ \t]*(?:#.*)?$")
_NAME = re.compile(r"""^( +)["']?([A-Za-z_][A-Za-z0-9_]*)["']?[ \t]*:""")
_EVENT_KIND = re.compile(r"""^kind:[ \t]*["']?event\b""", re.MULTILINE)
_EVENT_KEY = re.compile(
    r"""^[ \t]+key:[ \t]*["']?([a-z][A-Za-z0-9_]*(?:\.[a-z][A-Za-z0-9_]*)+)""", re.MULTILINE
)


def names_in_text(text: str) -> tuple[set[str], str | None]:
    """The names of the models and enums the text seems to define, and the key of
    the event it seems to be ("" for an event whose key cannot be read; None
    when it is not an event)."""
    names: set[str] = set()
    indent: int | None = None  # of the names in the current section; None: outside one
    inside = False
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            inside, indent = bool(_SECTION.match(line)), None
            continue
        found = _NAME.match(line) if inside else None
        if found is None:
            continue
        width = len(found.group(1))
        if indent is None:
            indent = width
        if width == indent:
            names.add(found.group(2))
    if not _EVENT_KIND.search(text):
        return names, None
    key = _EVENT_KEY.search(text)
    return names, key.group(1) if key else ""
