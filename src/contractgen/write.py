"""The only code that touches the output folder.

It keeps a manifest of what the build wrote (path, content hash, sources),
writes each file atomically, prunes files an earlier build wrote that are no
longer produced, refuses paths that would escape the output folder, and has
a check mode that compares without writing.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from contractgen.surfaces import OutputFile

MANIFEST = ".contractgen-manifest.json"


class UnsafePath(ValueError):
    """An output path that is absolute or climbs out of the output folder."""


def digest(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def safe_relative(path: str) -> str:
    pure = PurePosixPath(path)
    if (
        not path
        or pure.is_absolute()
        or "\\" in path
        or any(part in ("..", "") for part in path.split("/"))
        or pure.parts[0] == MANIFEST
    ):
        raise UnsafePath(f"refusing output path '{path}': it must stay inside the output folder")
    return pure.as_posix()


@dataclass
class Changes:
    """How the output folder differs from what the build produces."""

    stale: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return not (self.stale or self.missing or self.orphaned)


def read_manifest(out: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return files if isinstance(files, dict) else {}


def manifest_text(files: Iterable[OutputFile]) -> str:
    entries = {
        f.path: {"sha256": digest(f.content), "sources": sorted(set(f.sources))}
        for f in sorted(files, key=lambda f: f.path)
    }
    return json.dumps({"generator": "contractgen", "files": entries}, indent=2) + "\n"


def _existing(out: Path) -> set[str]:
    found: set[str] = set()
    if not out.is_dir():
        return found
    for dirpath, dirnames, filenames in os.walk(out):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            rel = Path(dirpath, name).relative_to(out).as_posix()
            if rel != MANIFEST and not name.startswith("."):
                found.add(rel)
    return found


def compare(out: Path, files: list[OutputFile]) -> Changes:
    """What a build would change; reads only, never writes."""
    changes = Changes()
    produced = {safe_relative(f.path): f for f in files}
    for rel, f in sorted(produced.items()):
        target = out / rel
        try:
            current = target.read_bytes()
        except OSError:
            changes.missing.append(rel)
            continue
        if current != f.content.encode("utf-8"):
            changes.stale.append(rel)
    changes.orphaned = sorted(_existing(out) - set(produced))
    return changes


def unified_diff(out: Path, files: list[OutputFile], changes: Changes) -> str:
    by_path = {f.path: f for f in files}
    chunks: list[str] = []
    for rel in sorted([*changes.stale, *changes.missing, *changes.orphaned]):
        try:
            old = (out / rel).read_text(encoding="utf-8", errors="replace").splitlines(True)
        except OSError:
            old = []
        new = by_path[rel].content.splitlines(True) if rel in by_path else []
        chunks.extend(difflib.unified_diff(old, new, f"a/{rel}", f"b/{rel}"))
    return "".join(chunks)


def _atomic_write(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(out: Path, files: list[OutputFile]) -> Changes:
    """Brings the output folder to exactly the given files; returns what changed."""
    for f in files:
        safe_relative(f.path)
    changes = compare(out, files)
    previous = set(read_manifest(out))
    by_path = {f.path: f for f in files}
    for rel in [*changes.missing, *changes.stale]:
        _atomic_write(out / rel, by_path[rel].content.encode("utf-8"))
    # Only files an earlier build wrote are pruned; anything else is left and reported.
    for rel in changes.orphaned:
        if rel in previous:
            (out / rel).unlink(missing_ok=True)
            _remove_empty_parents(out, out / rel)
    changes.orphaned = [r for r in changes.orphaned if r not in previous]
    _atomic_write(out / MANIFEST, manifest_text(files).encode("utf-8"))
    return changes


def _remove_empty_parents(out: Path, path: Path) -> None:
    parent = path.parent
    while parent != out and out in parent.parents:
        try:
            parent.rmdir()
        except OSError:
            return
        parent = parent.parent
