"""Format 1.1 building blocks: the spellings naming.py derives, the pattern check,
and the direction of a constraint change."""

from __future__ import annotations

import keyword
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractgen import naming
from contractgen.diff.compare import constraint_moves
from contractgen.load.fields import pattern_problem
from contractgen.load.resolve import DOMAIN_RE, ENUM_VALUE_RE

WIRE_VALUES = st.from_regex(ENUM_VALUE_RE, fullmatch=True)


@pytest.mark.parametrize(
    ("value", "member", "graphql"),
    [
        ("PENDING", "PENDING", "PENDING"),
        ("HTTP2", "HTTP2", "HTTP2"),
        ("unread", "UNREAD", "unread"),
        ("in-progress", "IN_PROGRESS", "in_progress"),
        ("inProgress", "IN_PROGRESS", "inProgress"),
        ("v2.beta", "V2_BETA", "v2_beta"),
        ("2fa", "V_2FA", "_2fa"),
        ("null", "NULL", "null_"),
        ("true", "TRUE", "true_"),
    ],
)
def test_enum_value_spellings(value: str, member: str, graphql: str) -> None:
    assert naming.python_enum_member(value) == member
    assert naming.graphql_enum_value(value) == graphql


@given(WIRE_VALUES)
def test_every_wire_value_gets_valid_identifiers(value: str) -> None:
    member = naming.python_enum_member(value)
    assert member.isidentifier() and not keyword.iskeyword(member)
    assert not member.startswith("_")  # (enum members starting with '_' are not members)
    graphql = naming.graphql_enum_value(value)
    assert re.fullmatch(r"[_A-Za-z][_0-9A-Za-z]*", graphql)
    assert graphql not in naming.GRAPHQL_ENUM_RESERVED


@pytest.mark.parametrize(
    ("domain", "package", "prefix", "slug"),
    [
        ("metering", "metering", "Metering", "metering"),
        ("feature-flags", "feature_flags", "FeatureFlags", "feature-flags"),
        ("identity_rbac", "identity_rbac", "IdentityRbac", "identity-rbac"),
        ("v2-api", "v2_api", "V2Api", "v2-api"),
    ],
)
def test_domain_spellings(domain: str, package: str, prefix: str, slug: str) -> None:
    assert DOMAIN_RE.match(domain)
    assert naming.python_package(domain) == package
    assert naming.domain_prefix(domain) == prefix
    assert naming.domain_slug(domain) == slug


@given(st.from_regex(DOMAIN_RE, fullmatch=True))
def test_every_domain_is_a_python_package(domain: str) -> None:
    assert naming.python_package(domain).isidentifier()


@pytest.mark.parametrize(
    "pattern", ["^[A-Z0-9-]{3,32}$", r"^\d+(\.\d+)?$", "(?<=a)b", "(a)\\1", "a|b"]
)
def test_patterns_valid_in_both_dialects(pattern: str) -> None:
    assert pattern_problem(pattern) is None


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("^[a-z", "not a valid regular expression"),
        ("(?P<name>a)", "named groups"),
        ("(?<name>a)", "not a valid regular expression"),
        ("(?i)abc", "inline flags"),
        (r"\Aabc\Z", r"\A"),
        ("(?>ab)", "atomic"),
        ("a++", "possessive"),
        ("(?#note)a", "comments"),
    ],
)
def test_patterns_python_or_ecma_only(pattern: str, why: str) -> None:
    problem = pattern_problem(pattern)
    assert problem is not None and why in problem


def test_escaped_syntax_is_not_mistaken_for_python_only() -> None:
    assert pattern_problem(r"^\(\?i\)$") is None
    assert pattern_problem(r"^\\A$") is None


@pytest.mark.parametrize(
    ("old", "new", "tightened", "loosened"),
    [
        ({"maximum": 100}, {"maximum": 50}, True, False),
        ({"maximum": 100}, {"maximum": 500}, False, True),
        ({}, {"minLength": 1}, True, False),
        ({"minItems": 2}, {}, False, True),
        ({"uniqueItems": False}, {"uniqueItems": True}, True, False),
        ({"multipleOf": 2}, {"multipleOf": 4}, True, False),
        ({"multipleOf": 4}, {"multipleOf": 2}, False, True),
        ({"multipleOf": 2}, {"multipleOf": 3}, True, True),
        ({"pattern": "^a$"}, {"pattern": "^b$"}, True, True),
        ({"minimum": 1, "maximum": 9}, {"minimum": 0, "maximum": 5}, True, True),
        ({"minimum": 1}, {"minimum": 1}, False, False),
    ],
)
def test_constraint_moves(
    old: dict[str, Any], new: dict[str, Any], tightened: bool, loosened: bool
) -> None:
    t, lo = constraint_moves(tuple(old.items()), tuple(new.items()))
    assert (bool(t), bool(lo)) == (tightened, loosened)
