"""The writer: manifest, check mode, pruning, path safety, atomic swaps, locking."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contractgen.surfaces import OutputFile
from contractgen.write import (
    MANIFEST,
    Placed,
    UnsafePath,
    _manifest,
    compare,
    read_manifest,
    unified_diff,
    write,
)


def files(**contents: str) -> list[OutputFile]:
    return [OutputFile(p.replace("__", "/"), c, ("contracts/x.yaml",)) for p, c in contents.items()]


def tree(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): p.read_text() for p in sorted(out.rglob("*")) if p.is_file()
    }


def test_write_then_check_is_exact(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    fs = files(a__one="1\n", b__two="2\n")
    changes = write(out, fs)
    assert sorted(changes.missing) == ["a/one", "b/two"]
    assert compare(out, fs).exact
    manifest = read_manifest(out)
    assert set(manifest) == {"a/one", "b/two"}
    assert manifest["a/one"]["sources"] == ["contracts/x.yaml"]


def test_check_names_stale_missing_and_orphaned(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write(out, files(a="1\n", b="2\n", c="3\n"))
    (out / "a").write_text("edited\n")
    (out / "b").unlink()
    (out / "stray.txt").write_text("?\n")
    wanted = files(a="1\n", b="2\n", c="3\n")
    changes = compare(out, wanted)
    assert (changes.stale, changes.missing, changes.orphaned) == (["a"], ["b"], ["stray.txt"])
    diff = unified_diff(out, wanted, changes)
    assert "-edited" in diff and "+1" in diff and "--- a/stray.txt" in diff


def test_removed_outputs_are_pruned_but_foreign_files_kept(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write(out, files(keep="k\n", deep__gone="g\n"))
    (out / "mine.txt").write_text("user file\n")
    changes = write(out, files(keep="k\n"))
    assert not (out / "deep").exists()
    assert (out / "mine.txt").read_text() == "user file\n"
    assert changes.orphaned == ["mine.txt"]
    assert set(json.loads((out / MANIFEST).read_text())["files"]) == {"keep"}


@pytest.mark.parametrize("bad", ["../escape", "/abs/path", "a/../../b", "a//b", "a\\b", ""])
def test_paths_escaping_the_output_are_refused(tmp_path: Path, bad: str) -> None:
    out = tmp_path / "gen"
    with pytest.raises(UnsafePath):
        write(out, [OutputFile(bad, "x")])
    assert not out.exists()
    assert not (tmp_path / "escape").exists()


def test_an_output_that_is_not_a_folder_is_refused_and_kept(tmp_path: Path) -> None:
    out = tmp_path / "notes.txt"
    out.write_text("mine")
    with pytest.raises(UnsafePath, match="not a folder"):
        write(out, [OutputFile("a.txt", "x\n")])
    assert out.read_text() == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("second", ["a/b.txt", "a/./b.txt"])
def test_two_files_with_one_path_are_refused(tmp_path: Path, second: str) -> None:
    """Neither may silently replace the other: the build and the check both refuse."""
    out = tmp_path / "gen"
    twins = [OutputFile("a/b.txt", "one\n"), OutputFile(second, "two\n")]
    with pytest.raises(UnsafePath, match=r"two generated files have the same path 'a/b\.txt'"):
        write(out, twins)
    assert not out.exists()
    with pytest.raises(UnsafePath):
        compare(out, twins)


def test_no_op_write_touches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    fs = files(a="1\n")
    write(out, fs)
    before = (out / "a").stat().st_ino, (out / MANIFEST).stat().st_mtime_ns
    write(out, fs)
    assert ((out / "a").stat().st_ino, (out / MANIFEST).stat().st_mtime_ns) == before


def test_no_leftovers_beside_the_output(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write(out, files(a="1\n"))
    write(out, files(a="2\n"))
    # The previous tree is deleted by a detached process: give it a moment.
    deadline = time.monotonic() + 10
    while len(list(tmp_path.iterdir())) > 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gen"]


def test_a_trash_tree_left_by_a_killed_deleter_goes_at_the_next_build(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write(out, files(a="1\n"))
    trash = tmp_path / ".gen.contractgen-trash-1-2"
    (trash / "x").mkdir(parents=True)
    write(out, files(a="2\n"))
    assert not trash.exists()


_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from contractgen.surfaces import OutputFile
    from contractgen.write import write
    out, tag = Path(sys.argv[1]), sys.argv[2]
    n = 400
    body = (tag + "\\n") * 200
    files = [OutputFile(f"d{i % 7}/f{i}.txt", f"{tag} {i}\\n" + body) for i in range(n)]
    while True:
        write(out, files)
    """
)


def _consistent(out: Path) -> str:
    """The tag of the one complete build the folder holds; fails on a mixed tree."""
    manifest = json.loads((out / MANIFEST).read_text())["files"]
    content = tree(out)
    content.pop(MANIFEST)
    assert set(content) == set(manifest), "files and manifest disagree"
    tags = {text.split(" ", 1)[0] for text in content.values()}
    assert len(tags) == 1, f"mixed tree: {sorted(tags)}"
    assert len(content) == 400
    return tags.pop()


def test_sigkill_never_leaves_a_mixed_tree(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    script = tmp_path / "writer.py"
    script.write_text(_WRITER)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    seen = set()
    for round_ in range(12):
        tag = f"build{round_ % 3}"
        proc = subprocess.Popen([sys.executable, str(script), str(out), tag], env=env)
        time.sleep(0.25 + 0.07 * round_)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if out.exists():
            # What a later build would see: recover leftovers, then a consistent tree.
            seen.add(_consistent(out))
    assert seen, "no build ever completed; raise the sleeps"
    from contractgen.write import recover

    recover(out)
    _consistent(out)
    assert not list(tmp_path.glob(".gen.contractgen-staging-*"))


def test_concurrent_builds_are_serialized(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    script = tmp_path / "writer.py"
    script.write_text(_WRITER.replace("while True:\n    ", "for _ in range(3):\n    "))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    procs = [
        subprocess.Popen([sys.executable, str(script), str(out), tag], env=env)
        for tag in ("left", "right")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert _consistent(out) in {"left", "right"}


@given(
    st.lists(
        st.tuples(st.text(min_size=1), st.lists(st.text(), max_size=3)),
        max_size=5,
        unique_by=lambda t: t[0],
    )
)
def test_the_manifest_is_what_json_dumps_with_indent_writes(entries: list[Any]) -> None:
    placed = [Placed(path, "0" * 64, "same", tuple(sources)) for path, sources in entries]
    files = {p.path: {"sha256": p.sha256, "sources": sorted(set(p.sources))} for p in placed}
    expected = json.dumps({"generator": "contractgen", "files": files}, indent=2) + "\n"
    assert b"".join(_manifest(placed)) == expected.encode("utf-8")


def test_the_manifest_is_the_same_document_across_its_chunks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large tree's manifest is made in chunks of entries: every count of entries,
    on and around a chunk's edge, gives what json.dumps writes."""
    from contractgen import write

    monkeypatch.setattr(write, "_ENTRIES_PER_CHUNK", 2)
    for n in range(7):
        placed = [Placed(f"f{i}.txt", f"{i:064x}", "same", (f"c{i % 2}.yaml",)) for i in range(n)]
        files = {p.path: {"sha256": p.sha256, "sources": list(p.sources)} for p in placed}
        expected = json.dumps({"generator": "contractgen", "files": files}, indent=2) + "\n"
        chunks = _manifest(placed)
        assert b"".join(chunks) == expected.encode("utf-8")
        assert len(chunks) == 1 + max(1, -(-n // 2)) if n else len(chunks) == 1


def _files_below(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


_PATHS = st.sampled_from(["a", "a/b", "a/b/c", "a/x", "d/e", "d/f", "g"])
_TREES = st.dictionaries(_PATHS, st.sampled_from(["1\n", "2\n", "3\n"]), max_size=5)


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(
        st.tuples(_TREES, st.sampled_from(["none", "edit", "foreign"]), _PATHS),
        min_size=1,
        max_size=6,
    )
)
def test_builds_in_one_folder_give_the_trees_built_from_scratch(
    tmp_path_factory: pytest.TempPathFactory, steps: list[Any]
) -> None:
    """Whatever the sequence (files that become folders, in-place edits of the
    folder's files, foreign files), every tree built over the one before equals
    one built from scratch."""
    base = tmp_path_factory.mktemp("folder")
    reused, fresh = base / "reused" / "gen", base / "fresh" / "gen"
    for tree, meddle, where in steps:
        wanted = {
            path: text
            for path, text in tree.items()
            if not any(other.startswith(path + "/") for other in tree)
        }
        for out in (reused, fresh):
            existing = (
                [p for p in sorted(out.rglob("*")) if p.is_file() and p.name != MANIFEST]
                if out.exists()
                else []
            )
            if meddle == "edit" and existing:
                with open(existing[len(where) % len(existing)], "r+b") as handle:
                    handle.write(b"edited in place")
            if meddle == "foreign" and out.exists():
                # Foreign files live apart from the build's paths (a foreign file
                # standing where the build writes a folder is another matter).
                foreign = out / "z" / where
                with contextlib.suppress(OSError):
                    foreign.parent.mkdir(parents=True, exist_ok=True)
                    foreign.write_text("foreign\n")
        write(reused, files(**{}) if not wanted else [OutputFile(p, t) for p, t in wanted.items()])
        write(fresh, [OutputFile(p, t) for p, t in wanted.items()])
        assert _files_below(reused) == _files_below(fresh)
