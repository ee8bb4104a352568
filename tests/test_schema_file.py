"""The committed JSON Schema of the contract format is current and accepts the contracts."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from contractgen.load.schema import json_schema

ROOT = Path(__file__).resolve().parents[1]


def test_committed_schema_is_current() -> None:
    committed = json.loads((ROOT / "docs" / "contract.schema.json").read_text())
    assert committed == json_schema(), "run: contractgen schema -o docs/contract.schema.json"


def test_bundled_contracts_match_the_schema_and_bad_shapes_do_not() -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    files = sorted((ROOT / "contracts").rglob("*.yaml"))
    assert files
    for path in files:
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text())))
        assert not errors, (path, errors[0].message)
    bad = {"kind": "command", "meta": {"key": "a.b", "stabilty": "stable"}}
    assert list(validator.iter_errors(bad))
