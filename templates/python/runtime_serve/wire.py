"""JSON from the wire: the one decoder of REST bodies, JSON query parameters and
GraphQL requests.

Only strict JSON is input: ``NaN`` and ``Infinity`` are not JSON, a number too
large for a float (``1e999``) has no finite value, and arrays and objects may
nest at most ``MAX_DEPTH`` deep (deeper text is refused before anything
recurses through it). Every refusal is ``NotJSON``, which each transport
answers as invalid input.
"""

from __future__ import annotations

import json
import math

from ..registry import MAX_DEPTH, wire_problem

__all__ = ["ENVELOPE_DEPTH", "MAX_DEPTH", "NotJSON", "loads"]


class NotJSON(ValueError):
    """The text is not JSON a contract accepts."""


def _constant(name: str) -> float:
    raise NotJSON(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NotJSON(f"{text} is out of range for a number")
    return value


#: How deep the input sits in a GraphQL request (``variables.input``) or an MCP message
#: (``params.arguments``): their texts may nest this much deeper than an input.
ENVELOPE_DEPTH = 2


def loads(text: str | bytes, max_depth: int | None = MAX_DEPTH) -> object:
    """The JSON value of the text, or NotJSON (with the reason) when it is not strict
    JSON or nests deeper than ``max_depth`` (None: as deep as the parser goes)."""
    try:
        value: object = json.loads(text, parse_float=_finite, parse_constant=_constant)
    except NotJSON:
        raise
    except RecursionError:
        raise NotJSON("arrays and objects nest too deeply") from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, a huge integer
        raise NotJSON(str(exc)) from exc
    # The parser refused what is not finite; the depth needs a look only when the text
    # opens more arrays and objects than the limit.
    if max_depth is not None and _openings(text) > max_depth:
        problem = wire_problem(value, max_depth)
        if problem is not None:
            raise NotJSON(problem)
    return value


def _openings(text: str | bytes) -> int:
    if isinstance(text, bytes):
        return text.count(b"[") + text.count(b"{")
    return text.count("[") + text.count("{")
