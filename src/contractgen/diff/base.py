"""Loading the base side of a diff: a git revision (read through git, no checkout) or a folder."""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath

from contractgen.diagnostics import error
from contractgen.load import SUFFIXES, LoadResult, Source, load, load_sources


class GitError(Exception):
    pass


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(cwd), *args],
            input=stdin,
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise GitError(f"cannot run git: {exc}") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed"
        raise GitError(message)
    return done.stdout


def _read_blobs(cwd: Path, specs: list[str]) -> list[bytes | None]:
    """Contents of ``rev:path`` objects in one ``git cat-file --batch`` call."""
    if not specs:
        return []
    out = _git(cwd, "cat-file", "--batch", stdin="".join(s + "\n" for s in specs).encode())
    blobs: list[bytes | None] = []
    pos = 0
    for _ in specs:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[-1] == b"missing":
            blobs.append(None)
            continue
        size = int(header[2])
        blobs.append(out[pos : pos + size])
        pos += size + 1  # content, then a newline
    return blobs


def load_git(ref: str, contracts_root: Path) -> LoadResult:
    root = contracts_root.resolve()
    display_root = ref
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
        commit = _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode()
        commit = commit.strip()
        rel = root.relative_to(top.resolve()).as_posix()
        listing = _git(top, "ls-tree", "-r", "-z", "--name-only", commit, "--", rel or ".")
    except GitError as exc:
        return LoadResult(None, [error("CG100", f"cannot read '{ref}' from git: {exc}", ref)])
    except ValueError:
        message = f"contracts folder {root} is not inside the git work tree"
        return LoadResult(None, [error("CG100", message, ref)])
    paths: list[tuple[str, str]] = []
    for raw in listing.split(b"\0"):
        if not raw:
            continue
        path = raw.decode("utf-8", "surrogateescape")
        inner = PurePosixPath(path).relative_to(rel) if rel else PurePosixPath(path)
        if not path.endswith(SUFFIXES) or any(p.startswith(".") for p in inner.parts):
            continue
        paths.append((path, inner.as_posix()))
    if not paths:
        message = f"no contract files (*.yaml, *.yml) under '{rel or '.'}' at '{ref}'"
        return LoadResult(None, [error("CG100", message, display_root)])
    try:
        blobs = _read_blobs(top, [f"{commit}:{p}" for p, _ in sorted(paths)])
    except GitError as exc:
        return LoadResult(None, [error("CG100", f"cannot read '{ref}' from git: {exc}", ref)])
    sources = [
        Source(inner, data, f"{ref}:{path}")
        for (path, inner), data in zip(sorted(paths), blobs, strict=True)
    ]
    return load_sources(root.name, sources)


def load_base(against: str, contracts_root: Path) -> LoadResult:
    """The contracts to compare against: a folder when one exists at ``against``, else a git ref."""
    folder = Path(against)
    if folder.is_dir():
        return load(folder)
    return load_git(against, contracts_root)
