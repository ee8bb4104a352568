"""The forked child's stream of items: order, size, failure part-way."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from contractgen.speed.forking import END, NONE_YET, Child, in_background, in_two

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def test_items_arrive_in_order_whatever_their_size() -> None:
    sizes = [0, 1, 70_000, 3_000_000, 5]  # some larger than any pipe buffer
    child = Child(lambda: (("x" * n, n) for n in sizes))
    child.poll()
    assert [n for _, n in child.items()] == sizes
    assert child.wait()


def test_polling_while_busy_takes_everything_sent_so_far() -> None:
    child = Child(lambda: ([i] * 1000 for i in range(200)))
    seen = 0
    while seen < 50:  # busy here, polling now and then
        child.poll()
        seen += 1
    items = list(child.items())
    assert [item[0] for item in items] == list(range(200))
    assert child.wait()


def test_a_child_failing_part_way_sends_what_it_finished() -> None:
    def work() -> Iterator[Any]:
        yield "first"
        yield "second"
        raise RuntimeError("the child breaks")

    child = Child(work)
    assert list(child.items()) == ["first", "second"]
    assert not child.wait()


def test_unmarshallable_item_ends_the_stream_cleanly() -> None:
    child = Child(lambda: iter(["fine", object()]))
    assert list(child.items()) == ["fine"]
    assert not child.wait()


def test_in_two_gives_none_for_a_failed_child() -> None:
    def broken() -> Any:
        raise ValueError("no")

    assert in_two(lambda: 1, lambda: {"a": [1, 2]}) == (1, {"a": [1, 2]})
    assert in_two(lambda: 1, broken) == (1, None)


def test_in_two_reaps_the_child_when_here_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def here() -> int:
        raise KeyError("here")

    started: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            started.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    with pytest.raises(KeyError):
        in_two(here, lambda: "x" * 3_000_000)  # the child blocks on a full pipe
    assert len(started) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(started[0], os.WNOHANG)  # reaped: not left behind


def test_take_without_waiting_says_whether_an_item_has_come() -> None:
    def work() -> Iterator[str]:
        time.sleep(0.3)
        yield "late"

    child = Child(work)
    assert child.take(wait=False) is NONE_YET
    assert child.take() == "late"
    assert child.take() is END  # (waits for the child to close the pipe)
    assert child.take(wait=False) is END
    assert child.wait()


def test_no_child_to_be_had_means_doing_it_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert in_two(lambda: 1, lambda: 2) == (1, None)
    assert not in_background(lambda: None)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_background_work_does_not_hold_the_callers_pipes(tmp_path: Path) -> None:
    """A caller reading the command's output through a pipe sees its end when the
    command exits, while the detached work goes on (then finishes)."""
    marker = tmp_path / "finished"
    program = (
        "import pathlib, time\n"
        "from contractgen.speed.forking import in_background\n"
        f"marker = pathlib.Path({str(marker)!r})\n"
        "def work():\n"
        "    time.sleep(3)\n"
        "    marker.write_text('yes')\n"
        "print('started', in_background(work))\n"
    )
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    waited = time.monotonic() - start
    assert done.stdout.strip() == "started True", done.stderr
    assert waited < 2.5, f"the pipe stayed open for the background work ({waited:.1f} s)"
    deadline = time.monotonic() + 10
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marker.read_text() == "yes"
