"""The word lists of the format: one definition each, and everything reads it."""

from __future__ import annotations

from typing import get_args

from contractgen import config, surfaces
from contractgen.load import schema
from contractgen.spec import model, vocabulary


def test_orders_hold_exactly_the_words_of_their_literal() -> None:
    assert get_args(vocabulary.Stability) == vocabulary.STABILITY_ORDER
    assert sorted(vocabulary.AUTH_ORDER) == sorted(get_args(vocabulary.Auth))
    assert len(set(vocabulary.AUTH_ORDER)) == len(vocabulary.AUTH_ORDER)
    assert tuple(schema.FILE_CLASSES) == vocabulary.FILE_KINDS


def test_the_spec_model_and_the_format_share_the_sets() -> None:
    assert model.AUTH_ORDER is vocabulary.AUTH_ORDER
    assert model.STABILITY_ORDER is vocabulary.STABILITY_ORDER
    assert surfaces.SURFACE_NAMES is config.SURFACES
    defs = schema.json_schema()["$defs"]
    assert defs["RawMeta"]["properties"]["stability"]["enum"] == list(vocabulary.STABILITY_ORDER)
    assert defs["RawPolicy"]["properties"]["auth"]["enum"] == list(vocabulary.AUTH_LEVELS)
    assert defs["RawRateLimit"]["properties"]["key"]["enum"] == list(vocabulary.RATE_LIMIT_KEYS)
    method = defs["RawRest"]["properties"]["method"]["anyOf"][0]
    assert method["enum"] == list(vocabulary.HTTP_METHODS)
