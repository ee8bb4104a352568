"""``contractgen new``: a valid contract file to start from."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

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


@dataclass(frozen=True)
class Existing:
    """A contract already in the tree: its path below the root, family and key."""

    rel: str
    family: str  # "event" or "operation"
    key: str
    domain: str


@dataclass(frozen=True)
class Placement:
    path: Path
    domain: str
    reason: str


def _family(kind: str) -> str:
    return "event" if kind == "event" else "operation"


def existing_contracts(contracts: Path) -> list[Existing]:
    """The contracts of the tree whose kind and key can be read."""
    from contractgen.files import discover_relative
    from contractgen.load.checking import domain_of
    from contractgen.load.yamlpos import parse

    found: list[Existing] = []
    for rel in discover_relative(contracts) if contracts.is_dir() else []:
        data = parse((contracts / rel).read_bytes(), rel).data or {}
        meta = data.get("meta")
        key = meta.get("key") if isinstance(meta, dict) else None
        kind = data.get("kind")
        if isinstance(key, str) and isinstance(kind, str) and kind != "models":
            domain = meta.get("domain") if isinstance(meta, dict) else None
            where = domain if isinstance(domain, str) else domain_of(rel)
            found.append(Existing(rel, _family(kind), key, where))
    return found


def place(contracts: Path, key: str, kind: str, domain: str | None) -> Placement:
    """Where a new contract goes, and why: beside the contracts whose keys share its
    first segment (in the domain given, if one is), else in the domain given or
    the one its first segment names, in the folder that domain keeps that kind in."""
    family, prefix = _family(kind), key.split(".", 1)[0]
    tree = existing_contracts(contracts)
    kin = [c for c in tree if c.key.split(".", 1)[0] == prefix and domain in (None, c.domain)]
    kin.sort(key=lambda c: (c.family != family, c.rel))
    if kin and kin[0].family == family:
        sibling = kin[0]
        folder = contracts / sibling.rel
        reason = f"beside {sibling.rel}, whose key '{sibling.key}' also starts with '{prefix}'"
        return Placement(folder.parent / f"{key}.yaml", sibling.domain, reason)
    if kin:
        chosen, reason = (
            kin[0].domain,
            f"domain of '{kin[0].key}', which also starts with '{prefix}'",
        )
    elif domain is not None:
        chosen, reason = domain, f"domain '{domain}', as --domain says"
    elif (contracts / prefix.lower()).is_dir():
        chosen, reason = (
            prefix.lower(),
            f"the domain folder '{prefix.lower()}' names the key's first segment",
        )
    else:
        chosen = prefix.lower()
        reason = (
            f"no contract's key starts with '{prefix}', so a new domain '{chosen}' was "
            "started; pass --domain to put it in another"
        )
    return Placement(
        _family_folder(contracts, tree, chosen, family) / f"{key}.yaml", chosen, reason
    )


def _family_folder(contracts: Path, tree: list[Existing], domain: str, family: str) -> Path:
    """The folder where a domain keeps contracts of a family (the usual layout if none)."""
    folders = Counter(
        sorted(
            str(PurePosixPath(c.rel).parent)
            for c in tree
            if c.domain == domain and c.family == family
        )
    )
    if folders:
        return contracts / folders.most_common(1)[0][0]
    return contracts / domain / ("events" if family == "event" else "")
