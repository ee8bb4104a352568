"""What differs between operating systems, in one place: locking a build, and
swapping two folders.

Each takes the best the platform has and falls back where it is missing:

- the build lock is ``fcntl.flock`` on the folder that holds the output
  (Linux, macOS); where there is no ``fcntl`` (Windows), ``msvcrt.locking``
  on a lock file in the temporary folder; with neither, a lock file made
  with exclusive creation, which a build left behind by a crash stops
  blocking after ``STALE_SECONDS``. The lock files live outside the project,
  so nothing shows up in ``git status``.
- the swap is one atomic exchange (Linux ``renameat2``); elsewhere two renames,
  which ``write.recover`` completes should a build be killed between them.

(Forking is the third: ``speed.forking.can_fork`` says whether the two-core
paths may run; without ``os.fork`` every piece of work is done in-process.)
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: A lock file older than this is taken to be left by a build that crashed.
STALE_SECONDS = 600.0
_POLL = 0.05


#: The build locks held, by output folder: the process and thread that hold each.
_held: dict[str, tuple[int, int]] = {}


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Serializes builds on one output folder (held from staging to swap). The thread
    that holds it may take it again (an incremental build reads the build record
    while it writes); a forked process may not: it takes its own."""
    import threading

    name, holder = str(out.absolute()), (os.getpid(), threading.get_ident())
    if _held.get(name) == holder:
        yield
        return
    with _locked(out):
        _held[name] = holder
        try:
            yield
        finally:
            del _held[name]


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:
        with _lock_file(_lock_path(out)):
            yield
        return
    # The folder that holds the output: the output itself is swapped, so it cannot
    # carry the lock, and a lock file beside it would show up in ``git status``.
    fd = os.open(out.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _lock_path(out: Path) -> Path:
    name = hashlib.sha256(str(out.absolute()).encode()).hexdigest()[:16]
    import tempfile

    return Path(tempfile.gettempdir()) / f"contractgen-{name}.lock"


@contextlib.contextmanager
def _lock_file(path: Path) -> Iterator[None]:
    try:
        import msvcrt
    except ImportError:
        with _exclusive_file(path):
            yield
        return
    with open(path, "a+b") as handle:
        fd = handle.fileno()
        while True:
            try:  # (LK_LOCK waits about ten seconds, then gives up: wait again)
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
                break
            except OSError:
                continue
        try:
            yield
        finally:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]


@contextlib.contextmanager
def _exclusive_file(path: Path) -> Iterator[None]:
    """A lock held by the existence of a file, made with exclusive creation."""
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            if _stale(path):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
                continue
            time.sleep(_POLL)
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def _stale(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime > STALE_SECONDS
    except FileNotFoundError:
        return False


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@functools.cache
def _libc_renameat2() -> Any:
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError, TypeError):  # (TypeError: Windows has no CDLL(None))
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


def exchange(a: Path, b: Path) -> bool:
    """Atomically swaps two folders (Linux renameat2); False where unsupported."""
    fn = _libc_renameat2()
    if fn is None:
        return False
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(rc == 0)


def replace_file(new: Path, target: Path) -> bool:
    """Puts the file new at target, in place of what stands there: by an exchange where
    the platform can (new's name then holds the file replaced, for the caller to
    remove), else by a rename over it; True when exchanged. (ext4 writes a file out
    before a rename over another, its ``auto_da_alloc``: a tenth of a second for the
    112 MB of a 13,000-operation edit. An exchange does not.)"""
    if exchange(new, target):
        return True
    os.replace(new, target)
    return False
