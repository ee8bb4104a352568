"""YAML syntax errors in plain words, located where the user must look.

libyaml stops at the first token it cannot use, which is often not where the
mistake is: an unclosed quote runs on to the next quote or to the end of the
file; a line indented one space too far is read as the rest of the value
above it. This module reads the text around libyaml's marks to point at the
mistake itself: the opening quote or bracket, the line whose indentation is
wrong, the tab. Only files that failed to parse come here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from contractgen.diagnostics import Diagnostic, error

_OPENERS = {"[": "]", "{": "}"}
_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


#: What an explanation finds: code, message, 0-based (line, column), hint.
Found = tuple[str, str, tuple[int, int], str]


@dataclass(frozen=True)
class _Marks:
    """libyaml's report: its problem and context, at 0-based lines and columns."""

    problem: str
    context: str
    at: tuple[int, int]  # where it stopped
    since: tuple[int, int] | None  # where the construct it was reading began


def syntax_error(text: str, exc: Any, file: str) -> Diagnostic:
    """The diagnostic for a YAML error libyaml raised while reading text."""
    lines = [*_BREAKS.split(text), ""]  # (YAML's line breaks; a line for the end)
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    at = _place(lines, problem_mark or context_mark) or (0, 0)
    since = _place(lines, context_mark)
    problem = str(getattr(exc, "problem", None) or (str(exc).splitlines() or ["YAML error"])[0])
    marks = _Marks(problem, str(getattr(exc, "context", None) or ""), at, since)
    for explain in (_tab, _unclosed, _indentation, _colon_in_value, _alias):
        found = explain(lines, marks)
        if found is not None:
            code, message, (line, col), hint = found
            return error(code, message, file, line + 1, col + 1, hint)
    message = f"{marks.context}, {problem}" if marks.context else problem
    return error("CG102", message, file, at[0] + 1, at[1] + 1, "fix the YAML at the caret")


def _place(lines: list[str], mark: Any) -> tuple[int, int] | None:
    """A mark's 0-based line and column, kept inside the text."""
    if mark is None:
        return None
    line = max(0, min(mark.line, len(lines) - 1))
    return line, max(0, min(mark.column, len(lines[line])))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _tab(lines: list[str], marks: _Marks) -> Found | None:
    """A tab where YAML wants spaces: at the tab (libyaml may stop a line later)."""
    line, col = marks.at
    if "tab" not in marks.problem and lines[line][col : col + 1] != "\t":
        return None
    for number in range(line, -1, -1):
        text = lines[number]
        lead = text[: len(text) - len(text.lstrip(" \t"))]
        if "\t" in lead:
            return (
                "CG112",
                "a tab character indents this line; YAML indents with spaces only",
                (number, lead.index("\t")),
                "replace the tab with spaces (set your editor to insert spaces in YAML files)",
            )
    return None


def _unclosed(lines: list[str], marks: _Marks) -> Found | None:
    """A quote or bracket opened and never closed: at the opening one."""
    since = marks.since
    if since is not None and "quoted scalar" in marks.context:
        return _quote_found(lines, since, None)
    if since is not None and "flow" in marks.context:
        # libyaml marks the bracket when it reads a flow collection, and only the
        # place it stopped when it wanted the collection's next node.
        opener_at = since if lines[since[0]][since[1] : since[1] + 1] in _OPENERS else None
        opener_at = opener_at or _open_bracket(lines, since)
        if opener_at is not None:
            opener = lines[opener_at[0]][opener_at[1]]
            return (
                "CG110",
                f"the '{opener}' opened here is not closed",
                opener_at,
                f"close it with '{_OPENERS[opener]}' after its last item",
            )
    # A quote left open on an earlier line runs on to the next quote, and
    # libyaml stops on the line where that one is.
    for number in range(marks.at[0] - 1, -1, -1):
        col = _open_quote(lines[number])
        if col is not None:
            closed_on = _closing_line(lines, number, col)
            if closed_on == marks.at[0]:
                return _quote_found(lines, (number, col), closed_on)
            return None
    return None


def _open_bracket(lines: list[str], upto: tuple[int, int]) -> tuple[int, int] | None:
    """The innermost '[' or '{' still open at upto, outside quotes and comments."""
    stack: list[tuple[int, int]] = []
    for number, line in enumerate(lines[: upto[0] + 1]):
        end = upto[1] if number == upto[0] else len(line)
        i = 0
        while i < end:
            c = line[i]
            if c == "#" and (i == 0 or line[i - 1] in " \t"):
                break
            if c in "\"'" and (i == 0 or line[i - 1] in " \t[{,:"):
                closed = _close(line, i)
                i = len(line) if closed is None else closed + 1
                continue
            if c in _OPENERS:
                stack.append((number, i))
            elif c in "]}" and stack:
                stack.pop()
            i += 1
    return stack[-1] if stack else None


def _quote_found(lines: list[str], at: tuple[int, int], closed_on: int | None) -> Found:
    quote = lines[at[0]][at[1] : at[1] + 1] or '"'
    where = (
        f"YAML read on to the {quote} on line {closed_on + 1}"
        if closed_on is not None
        else "it runs to the end of the file"
    )
    return (
        "CG110",
        f"the {quote} opened here is not closed on its line ({where})",
        at,
        f"end the value with {quote} on the same line",
    )


def _open_quote(line: str) -> int | None:
    """The column of a quote that starts a value on line and is not closed on it."""
    start = True  # at a place where a value may start
    i = 0
    while i < len(line):
        c = line[i]
        nxt = line[i + 1 : i + 2]
        if c in " \t":
            i += 1
            continue
        if c == "#" and (i == 0 or line[i - 1] in " \t"):
            return None
        if start and c in "\"'":
            end = _close(line, i)
            if end is None:
                return i
            i, start = end + 1, False
            continue
        start = c in "[{," or (c in ":-?" and nxt in ("", " ")) or (start and c in "]}")
        i += 1
    return None


def _close(text: str, i: int) -> int | None:
    """The index of the quote that closes the one at i (None: not in text)."""
    quote = text[i]
    j = i + 1
    while j < len(text):
        c = text[j]
        if quote == '"' and c == "\\":
            j += 2
            continue
        if c == quote:
            if quote == "'" and text[j + 1 : j + 2] == "'":
                j += 2
                continue
            return j
        j += 1
    return None


def _closing_line(lines: list[str], line: int, col: int) -> int | None:
    """The line on which the quote opened at (line, col) is closed, read as YAML does."""
    rest = "\n".join(lines[line:])
    end = _close(rest, col)
    return None if end is None else line + rest.count("\n", 0, end)


def _indentation(lines: list[str], marks: _Marks) -> Found | None:
    """A line indented where no key or item of the blocks around it can be."""
    line, col = marks.at
    if "could not find expected ':'" in marks.problem and marks.since is not None:
        line = marks.since[0]
        return (
            "CG111",
            "this line is neither 'key: value' nor indented under the key above it",
            (line, _indent(lines[line])),
            "indent it more than the key above if it continues that key's value; "
            "otherwise write it as 'key: value'",
        )
    text = lines[line]
    above = _line_above(lines, line)
    if "mapping values are not allowed" in marks.problem and above is not None:
        if _indent(text) > _indent(lines[above]) and not lines[above].rstrip().endswith(":"):
            return _too_deep(lines, line, above)
        return None
    if "did not find expected" not in marks.problem or col != _indent(text):
        return None
    if marks.since is not None and "block collection" in marks.context:
        return _not_an_item(line, col, marks.since)
    if text[col:].startswith("- "):
        return (
            "CG111",
            "a list item where a key is expected",
            (line, col),
            "indent it under the key whose list it belongs to, like the items above it",
        )
    return (
        "CG111",
        f"this line is indented {_spaces(col)}, which lines up with no key above it",
        (line, col),
        _align_hint(lines, line),
    )


def _not_an_item(line: int, col: int, items: tuple[int, int]) -> Found:
    """A line in a list that is neither an item nor inside the item above."""
    where = f"the list on line {items[0] + 1}"
    if col == items[1]:
        message = f"this line is indented like the '-' items of {where}, but is not an item"
    else:
        message = (
            f"this line is indented {_spaces(col)}, neither like the '-' items of {where} "
            f"({items[1]}) nor like the keys inside them ({items[1] + 2})"
        )
    hint = f"indent it {_spaces(items[1] + 2)} to continue the item above, or start it with '- '"
    return "CG111", message, (line, col), hint


def _spaces(n: int) -> str:
    return f"{n} space{'' if n == 1 else 's'}"


def _too_deep(lines: list[str], line: int, above: int) -> Found:
    key = lines[above].strip().split(":", 1)[0]
    return (
        "CG111",
        f"this line is indented more than '{key}' on the line above, so YAML reads it as "
        f"the rest of the value of '{key}'",
        (line, _indent(lines[line])),
        f"indent it {_spaces(_indent(lines[above]))}, like '{key}:' (or quote the value above "
        "if it holds ': ')",
    )


def _align_hint(lines: list[str], line: int) -> str:
    """Where the keys of the blocks open at line are: the indentations it may take."""
    open_at: list[int] = []
    for text in lines[:line]:
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        width = _indent(text)
        while open_at and open_at[-1] >= width:
            open_at.pop()
        open_at.append(width)
    widths = [str(n) for n in reversed(open_at)] or ["0"]
    choices = ", ".join(widths[:-1]) + " or " + widths[-1] if len(widths) > 1 else widths[0]
    return f"indent it like the keys it belongs with: {choices} spaces"


def _colon_in_value(lines: list[str], marks: _Marks) -> Found | None:
    """': ' inside an unquoted value (read as a second key on the line)."""
    if "mapping values are not allowed" not in marks.problem:
        return None
    line, col = marks.at
    text = lines[line]
    key = text.strip().split(":", 1)[0].lstrip("- ")
    return (
        "CG102",
        f"':' followed by a space inside the unquoted value of '{key}'",
        (line, col),
        "quote the value, e.g. description: 'Note: quoted'",
    )


def _alias(lines: list[str], marks: _Marks) -> Found | None:
    """An alias ('*name') with no anchor ('&name') before it."""
    if "undefined alias" not in marks.problem:
        return None
    line, col = marks.at
    name = lines[line][col:].split()[0].rstrip(",]}") if lines[line][col:].strip() else "*"
    return (
        "CG102",
        f"found undefined alias '{name}': no anchor '&{name[1:]}' is defined above it",
        (line, col),
        "define the anchor before its first use, or write the value out",
    )


def _line_above(lines: list[str], line: int) -> int | None:
    """The nearest line above that holds something (not blank, not a comment)."""
    for number in range(line - 1, -1, -1):
        stripped = lines[number].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return None
