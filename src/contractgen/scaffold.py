"""``contractgen new``: a valid contract file to start from."""

from __future__ import annotations

from pathlib import Path

from contractgen import naming

_OPERATION = """\
kind: {kind}
meta:
  key: {key}
  version: "1.0.0"
  title: {title}
  description: TODO describe what {key} does.
  goal: TODO the business goal it serves.
  context: TODO when and by whom it is called.
  stability: experimental
  owners: [{owner}]
  tags: [{domain}]
io:
  input: {name}Input
  output: {name}Output
  errors: {{}}
policy:
  auth: user
models:
  {name}Input:
    description: Input of {key}.
    fields:
      id: {{type: ID, description: TODO}}
  {name}Output:
    description: Output of {key}.
    fields:
      id: {{type: ID, description: TODO}}
"""

_EVENT = """\
kind: event
meta:
  key: {key}
  version: "1.0.0"
  description: TODO say what happened.
  stability: experimental
  owners: [{owner}]
  tags: [{domain}]
payload: {name}Payload
models:
  {name}Payload:
    description: Payload of {key}.
    fields:
      id: {{type: ID, description: TODO}}
"""


def scaffold(key: str, kind: str, domain: str, owner: str) -> str:
    name = naming.pascal(key)
    title = " ".join(naming.words(key)).capitalize()
    template = _EVENT if kind == "event" else _OPERATION
    return template.format(kind=kind, key=key, name=name, title=title, domain=domain, owner=owner)


def target_path(contracts: Path, key: str, kind: str, domain: str) -> Path:
    folder = contracts / domain / ("events" if kind == "event" else "")
    return folder / f"{key}.yaml"
