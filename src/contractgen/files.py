"""Where things are on disk: contract files, built-in templates, the project file.

Deliberately free of heavy imports (no pydantic, no Jinja), so that a build
whose inputs did not change can answer without importing them.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SUFFIXES = (".yaml", ".yml")
#: Caches (parse results, last builds) live here, beside pyproject.toml.
CACHE_DIR = ".contractgen-cache"
#: The build's record of what it wrote, inside the output folder.
MANIFEST = ".contractgen-manifest.json"


def caches_allowed() -> bool:
    """Whether the local caches may be read and written.

    Not in CI (the ``CI`` variable set, as every CI service does) nor with
    ``CONTRACTGEN_NO_CACHE=1``: a cache is a local convenience, and one
    committed to the repository must never stand in for real work in a check.
    """
    ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return not ci and os.environ.get("CONTRACTGEN_NO_CACHE") != "1"


def write_cache_file(path: Path, data: bytes) -> None:
    """Writes a cache file whole (a temporary name, then a rename), and keeps the
    cache folder out of version control."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n")
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_bytes(data)
        from contractgen.portable import replace_file

        if replace_file(tmp, path):  # (tmp is the old one now: removed in the background)
            from contractgen.speed.forking import later

            later(lambda: tmp.unlink(missing_ok=True))
    except OSError:
        pass  # a read-only checkout builds, just without the cache


def scan_folders(stack: list[tuple[str, str]]) -> Iterator[tuple[str, list[os.DirEntry[str]]]]:
    """Takes each (folder, prefix) off the stack and gives the prefix and the folder's
    entries, one ``scandir`` per folder (a folder that cannot be read is passed over);
    the caller pushes the subfolders it enters onto the same stack. The one folder walk
    that ``walk``, the output scan and the writer's listing share."""
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        yield prefix, entries


def walk(root: Path, hidden: bool = False) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every file below root, as (POSIX path relative to root, its directory entry),
    in no particular order; with hidden false, dot files and dot folders are skipped.
    Folders that cannot be read are passed over. Plain strings and one ``scandir``
    per folder: a build walks trees of 2,000 to 5,000 files before doing anything."""
    stack = [(str(root), "")]
    for prefix, entries in scan_folders(stack):
        for entry in entries:
            name = entry.name
            if not hidden and name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, f"{prefix}{name}/"))
            else:
                yield prefix + name, entry


def discover_relative(root: Path) -> list[str]:
    """Every contract file below root as a POSIX path relative to it, sorted; hidden
    entries skipped."""
    return sorted(rel for rel, _ in walk(root) if rel.endswith(SUFFIXES))


def discover(root: Path) -> list[Path]:
    """Every contract file below root, in sorted path order; hidden entries skipped."""
    return [root / rel for rel in discover_relative(root)]


def builtin_templates() -> Path:
    """The built-in templates: inside the installed package, or the repository's folder."""
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def read_tool_table(start: Path) -> tuple[Path | None, str, dict[str, Any]]:
    """(pyproject.toml or None, its text, its [tool.contractgen] table); raises on bad TOML."""
    pyproject = find_pyproject(start)
    if pyproject is None:
        return None, "", {}
    text = pyproject.read_text(encoding="utf-8")
    table = tomllib.loads(text).get("tool", {}).get("contractgen", {})
    return pyproject, text, table if isinstance(table, dict) else {}


def scan_output(out: Path, follow: bool = False) -> dict[str, tuple[int, int]] | None:
    """(size, mtime_ns) of every file in an output folder that a check compares
    (dotfiles and dot folders, the manifest among them, are not), in one walk;
    None when the folder does not exist. With follow, of the file a symbolic link
    points to (a link that points nowhere is left out), as for contracts."""
    if not out.is_dir():
        return None
    found: dict[str, tuple[int, int]] = {}
    _scan([(str(out), "")], found, follow=follow)
    return found


def top_folders(out: Path) -> list[str]:
    """The folders directly in out that ``scan_output`` enters, sorted."""
    try:
        entries = list(os.scandir(out))
    except OSError:
        return []
    return sorted(e.name for e in entries if e.name[0] != "." and e.is_dir(follow_symlinks=False))


def scan_part(
    out: Path, folders: list[str], top: bool, follow: bool = False
) -> dict[str, tuple[int, int]]:
    """``scan_output`` of some of the folders directly in out and, with top, of the
    files directly in it."""
    found: dict[str, tuple[int, int]] = {}
    if top:
        _scan([(str(out), "")], found, deep=False, follow=follow)
    _scan([(f"{out}/{folder}", f"{folder}/") for folder in folders], found, follow=follow)
    return found


def _scan(
    stack: list[tuple[str, str]],
    found: dict[str, tuple[int, int]],
    deep: bool = True,
    follow: bool = False,
) -> None:
    # (walk's loop, inlined per file: this runs over every file of a large folder)
    for prefix, entries in scan_folders(stack):
        for entry in entries:
            name = entry.name
            if name[0] == ".":
                continue
            if entry.is_dir(follow_symlinks=False):
                if deep:
                    stack.append((entry.path, f"{prefix}{name}/"))
            elif not follow:
                st = entry.stat(follow_symlinks=False)
                found[prefix + name] = (st.st_size, st.st_mtime_ns)
            else:
                try:
                    st = entry.stat()
                except OSError:
                    continue
                found[prefix + name] = (st.st_size, st.st_mtime_ns)
