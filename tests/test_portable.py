"""contractgen where fcntl, renameat2 and fork do not exist (Windows, macOS).

Their absence is simulated: in-process for the lock and the swap, and in a
subprocess that hides all three for whole commands.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from contractgen import portable, write
from contractgen.surfaces import OutputFile

ROOT = Path(__file__).resolve().parents[1]

#: Runs the command line with no fcntl (nor msvcrt), no os.fork and no renameat2.
WITHOUT = """
import os, sys
sys.modules["fcntl"] = None
sys.modules["msvcrt"] = None
del os.fork
import contractgen.portable as portable
portable._libc_renameat2 = lambda: None
from contractgen.cli import main
sys.argv = ["contractgen", *sys.argv[1:]]
main()
"""


def _run(folder: Path, *args: str, without: bool) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("CI", None)
    env.pop("CONTRACTGEN_NO_CACHE", None)
    command = ["-c", WITHOUT] if without else ["-m", "contractgen"]
    return subprocess.run(
        [sys.executable, *command, *args], cwd=folder, env=env, capture_output=True, text=True
    )


def _project(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(ROOT / "contracts", folder / "contracts")
    (folder / "pyproject.toml").write_text(
        '[tool.contractgen]\ncontracts = "contracts"\noutput = "generated"\n'
    )
    return folder


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_commands_work_without_fcntl_fork_or_renameat2(tmp_path: Path) -> None:
    bare = _project(tmp_path, "bare")
    usual = _project(tmp_path, "usual")
    probe = _run(bare, "--help", without=True)
    assert probe.returncode == 0, probe.stderr
    for folder, without in ((bare, True), (usual, False)):
        done = _run(folder, "validate", without=without)
        assert done.returncode == 0, done.stderr
        done = _run(folder, "build", without=without)
        assert done.returncode == 0, done.stderr
    assert _tree(bare / "generated") == _tree(usual / "generated")

    # An edit (the incremental path), then a check, then a no-op, all without them.
    record = bare / "contracts" / "metering" / "usage.record.yaml"
    record.write_text(record.read_text().replace("Record a usage event.", "Record usage."))
    done = _run(bare, "build", without=True)
    assert done.returncode == 0 and "written" in done.stderr, done.stderr
    assert "Record usage." in (bare / "generated" / "openapi" / "openapi.yaml").read_text()
    for args in (("build", "--check", "--no-cache"), ("build", "--check"), ("build",)):
        done = _run(bare, *args, without=True)
        assert done.returncode == 0, (args, done.stderr)
    # The swap by two renames leaves nothing beside the folder but the tree it
    # replaced, on its way out (removed by the build's detached process).
    beside = [p.name for p in bare.iterdir() if p.name.startswith(".generated")]
    assert all(name.startswith(".generated.contractgen-trash-") for name in beside), beside


def test_the_simulation_hides_what_it_says() -> None:
    code = WITHOUT.replace("from contractgen.cli import main", "").replace("main()", "")
    check = (
        code
        + "\ntry:\n    import fcntl\nexcept ImportError:\n    print('no fcntl')\n"
        + "print('fork' if hasattr(os, 'fork') else 'no fork')\n"
        + "print('no rename' if portable._libc_renameat2() is None else 'rename')\n"
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert done.stdout.split("\n")[:3] == ["no fcntl", "no fork", "no rename"], done.stderr


def test_the_exclusive_lock_file_serializes_and_outlives_no_crash(tmp_path: Path) -> None:
    lock = tmp_path / "build.lock"
    order: list[str] = []

    def hold(name: str) -> None:
        with portable._exclusive_file(lock):
            order.append(f"{name} in")
            time.sleep(0.1)
            order.append(f"{name} out")

    threads = [threading.Thread(target=hold, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Never both inside at once.
    assert order[0].endswith("in") and order[1].endswith("out")
    assert order[2].endswith("in") and order[3].endswith("out")
    assert not lock.exists()

    # A lock file left by a build that crashed stops blocking once it is stale.
    lock.write_text("12345")
    old = time.time() - portable.STALE_SECONDS - 5
    os.utime(lock, (old, old))
    with portable._exclusive_file(lock):
        assert lock.read_text() == str(os.getpid())
    assert not lock.exists()


def test_the_thread_holding_the_build_lock_may_take_it_again(tmp_path: Path) -> None:
    """A build reads the build record (under the lock) while it holds the lock; another
    thread, or a forked process, still waits for it."""
    out = tmp_path / "generated"
    order: list[str] = []

    def other() -> None:
        with portable.build_lock(out):
            order.append("other in")

    with portable.build_lock(out):
        with portable.build_lock(out):
            order.append("again")
        thread = threading.Thread(target=other)
        thread.start()
        if hasattr(os, "fork"):
            pid = os.fork()
            if pid == 0:  # (waits for the lock, then exits 3)
                with portable.build_lock(out):
                    (tmp_path / "child in").touch()
                    os._exit(3)
        time.sleep(0.2)
        assert not (tmp_path / "child in").exists()
        order.append("out")
    thread.join()
    assert order == ["again", "out", "other in"]
    if hasattr(os, "fork"):
        assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 3
    assert not portable._held


def test_build_lock_without_fcntl_uses_a_lock_file_outside_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "fcntl", None)
    monkeypatch.setitem(sys.modules, "msvcrt", None)
    out = tmp_path / "generated"
    with portable.build_lock(out):
        assert portable._lock_path(out).exists()
        assert list(tmp_path.iterdir()) == []  # nothing beside the output
    assert not portable._lock_path(out).exists()


def test_the_swap_by_two_renames_and_its_recovery(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(portable, "_libc_renameat2", lambda: None)
    out = tmp_path / "generated"
    first = write.write(out, [_file("a.txt", "one\n")])
    assert first.missing == ["a.txt"]
    second = write.write(out, [_file("a.txt", "two\n"), _file("b.txt", "b\n")])
    assert second.stale == ["a.txt"] and second.missing == ["b.txt"]
    assert (out / "a.txt").read_text() == "two\n"
    # Killed between the two renames: the folder is gone and the old tree stands aside.
    os.rename(out, tmp_path / ".generated.contractgen-old")
    write.recover(out)
    assert (out / "a.txt").read_text() == "two\n"


def _file(path: str, content: str) -> OutputFile:
    return OutputFile(path, content)
