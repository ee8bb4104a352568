"""``contractgen watch``: rebuild when contracts, templates or configuration change.

Polls modification times (no extra dependency, works on every file system),
waits for the burst of changes to settle (debounce), then runs the build
callback. Errors are printed by the callback; watching goes on.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

Snapshot = dict[str, tuple[int, int]]


def snapshot(paths: Iterable[Path]) -> Snapshot:
    state: Snapshot = {}
    for root in paths:
        if root.is_file():
            st = root.stat()
            state[str(root)] = (st.st_mtime_ns, st.st_size)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                path = os.path.join(dirpath, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                state[path] = (st.st_mtime_ns, st.st_size)
    return state


def watch(
    paths: list[Path],
    on_change: Callable[[], None],
    interval: float = 0.3,
    debounce: float = 0.2,
    stop: Callable[[], bool] = lambda: False,
) -> None:
    """Calls on_change once now and after every settled change, until stop() is true."""
    on_change()
    last = snapshot(paths)
    while not stop():
        time.sleep(interval)
        current = snapshot(paths)
        if current == last:
            continue
        while True:  # let a burst of saves finish
            time.sleep(debounce)
            settled = snapshot(paths)
            if settled == current:
                break
            current = settled
        last = current
        on_change()
