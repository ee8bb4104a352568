"""The graphql verdicts agree with graphql-core on the SDL the GraphQL surface renders.

For every case of the corpus: a change is breaking on the graphql surface iff
graphql-core's ``find_breaking_changes`` reports a breaking change between the old
and new merged schemas, except the documented cases below (docs/diff.md).
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from contractgen.diff import Verdict, compare
from contractgen.load import load
from contractgen.spec import Spec
from contractgen.surfaces import Options

from .corpus import CASES_DIR

graphql_core = pytest.importorskip("graphql")

NAMES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())

#: Cases where the two disagree on purpose, with the reason.
EXCEPTIONS: dict[str, str] = {
    "auth_tightened": "auth policy is not part of the schema; clients are refused at run time",
    "error_gql_code_changed": "error codes reach clients in error extensions, which the schema "
    "does not type: a changed code breaks clients that branch on it, unseen by graphql-core",
    "input_constraint_tightened": "constraints are description text in GraphQL; the server "
    "refuses values outside them at run time",
    "input_pattern_changed": "constraints are description text in GraphQL; the server "
    "refuses values outside them at run time",
    "input_field_default_removed": "graphql-core 3.2 does not compare input field defaults; "
    "a non-null input field without a default must be sent",
}


def sdl(spec: Spec) -> str:
    try:
        surface = importlib.import_module("contractgen.surfaces.graphql")
    except ImportError:  # the surface is written by another helper
        pytest.skip("GraphQL surface not available")
    files = {f.path: f.content for f in surface.render(spec, Options())}
    text: str = files["graphql/schema.graphql"]
    return text


def spec_of(path: Path) -> Spec:
    result = load(path)
    assert result.spec is not None
    return result.spec


def core_verdicts(old: Spec, new: Spec) -> tuple[list[str], list[str]]:
    from graphql import build_schema
    from graphql.utilities import find_breaking_changes, find_dangerous_changes

    a, b = build_schema(sdl(old)), build_schema(sdl(new))
    breaking = [f"{c.type.name}: {c.description}" for c in find_breaking_changes(a, b)]
    dangerous = [f"{c.type.name}: {c.description}" for c in find_dangerous_changes(a, b)]
    return breaking, dangerous


@pytest.mark.parametrize("name", NAMES)
def test_graphql_breaking_agrees_with_graphql_core(name: str) -> None:
    old = spec_of(CASES_DIR / name / "old")
    new = spec_of(CASES_DIR / name / "new")
    ours = [c for c in compare(old, new) if c.on("graphql") is Verdict.BREAKING]
    theirs, _ = core_verdicts(old, new)
    agree = bool(ours) == bool(theirs)
    if name in EXCEPTIONS:
        assert not agree, f"{name} is listed as an exception but agrees: drop it"
        return
    assert agree, (name, [f"{c.code}: {c.message}" for c in ours], theirs)
