"""Writing imported contracts: deterministic text, checked by the real loader first.

The files are validated together with the contracts already in the target
folder (in memory); only when that tree has no error is anything written.

Re-import keeps hand edits: each file's header records a hash of what the
import wrote, less the parts people are expected to write by hand (``KEPT``:
goal, context, owners, description, examples, side effects, policy details).
Those parts of an existing file are carried into the new one. When the rest of
an existing file no longer matches its hash, someone edited it by hand
elsewhere: the import shows the difference and refuses without ``force``.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contractgen.diagnostics import Diagnostic
from contractgen.files import discover_relative
from contractgen.load import Source, load_sources
from contractgen.load.yamlpos import parse
from contractgen.surfaces import yamlout

#: The top-level keys of a contract file, in the order the project writes them.
ORDER = ("kind", "meta", "io", "policy", "sideEffects", "transport", "examples")
SECTIONS = ("models", "enums", "unions")
HEADER = (
    "# Imported by `contractgen import` from {source}.\n"
    "# A new import keeps meta goal, context, owners and description, examples, side\n"
    "# effects and policy details; other hand edits make it stop and show the difference.\n"
    "# import-hash: {digest}\n"
)
_DIGEST = re.compile(r"^# import-hash: ([0-9a-f]{16})$", re.MULTILINE)
#: Parts of a contract people write by hand: (section, key), or (key, None) for a section.
KEPT: tuple[tuple[str, str | None], ...] = (
    ("meta", "goal"),
    ("meta", "context"),
    ("meta", "owners"),
    ("meta", "description"),
    ("meta", "stability"),
    ("examples", None),
    ("sideEffects", None),
    ("policy", "idempotent"),
    ("policy", "rateLimit"),
    ("policy", "flags"),
    ("policy", "pii"),
)


def without_kept(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in data.items()}
    for section, key in KEPT:
        if key is None:
            out.pop(section, None)
        elif isinstance(out.get(section), dict):
            out[section].pop(key, None)
    return out


def digest(data: dict[str, Any]) -> str:
    text = json.dumps(without_kept(data), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def keep_hand_edits(new: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    """new, with the hand-written parts (KEPT) of old."""
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in new.items()}
    for section, key in KEPT:
        if key is None:
            if section in old:
                out[section] = old[section]
        elif isinstance(old.get(section), dict) and key in old[section]:
            out.setdefault(section, {})[key] = old[section][key]
    return out


def _described_first(section: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {k: body[k] for k in sorted(body, key=lambda k: k != "description")}
        for name, body in section.items()
    }


def text_of(data: dict[str, Any], source: str) -> str:
    ordered = {k: data[k] for k in ORDER if k in data}
    ordered |= {k: _described_first(data[k]) for k in SECTIONS if k in data}
    ordered |= {k: v for k, v in data.items() if k not in ordered}
    return HEADER.format(source=source, digest=digest(data)) + yamlout.dump(ordered)


def hand_edited(old_text: str, old: dict[str, Any] | None) -> bool:
    """Whether an existing file was edited by hand outside the kept parts."""
    found = _DIGEST.search(old_text)
    return old is None or found is None or found.group(1) != digest(old)


@dataclass
class Plan:
    """What an import would write: path (below the contracts folder) -> text."""

    root: Path
    texts: dict[str, str]
    #: Existing files edited by hand outside the kept parts -> their text.
    changed: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def diff(self) -> str:
        out: list[str] = []
        for rel in sorted(self.changed):
            old = self.changed[rel].splitlines(keepends=True)
            new = self.texts[rel].splitlines(keepends=True)
            out.extend(difflib.unified_diff(old, new, f"a/{rel}", f"b/{rel}"))
        return "".join(out)


def plan(root: Path, domain: str, files: dict[str, dict[str, Any]], source: str) -> Plan:
    """The texts to write below root/domain, validated with the contracts already there."""
    existing = discover_relative(root) if root.is_dir() else []
    tree: dict[str, bytes] = {rel: (root / rel).read_bytes() for rel in existing}
    result = Plan(root, {})
    for name, data in sorted(files.items()):
        rel = f"{domain}/{name}"
        old_raw = tree.get(rel)
        if old_raw is not None:
            old_text = old_raw.decode("utf-8", "replace")
            old = parse(old_raw, rel).data
            if hand_edited(old_text, old):
                result.changed[rel] = old_text
            elif old is not None:
                data = keep_hand_edits(data, old)
        text = text_of(data, source)
        result.texts[rel] = text
        tree[rel] = text.encode()
    shown = root.as_posix()
    sources = [Source(rel, data, f"{shown}/{rel}") for rel, data in sorted(tree.items())]
    result.diagnostics = load_sources(root.name or "contracts", sources).diagnostics
    return result


def write(p: Plan) -> list[str]:
    """Writes the planned files (each atomically); returns those that changed."""
    written: list[str] = []
    for rel, text in p.texts.items():
        path = p.root / rel
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".import-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
        written.append(rel)
    return written
