"""The two-core paths (parsing and rendering in a forked child) change nothing."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from contractgen.load import load
from contractgen.load.yamlpos import parse
from contractgen.speed import parse_parallel as parallel
from contractgen.speed.parse_parallel import parse_all
from contractgen.speed.render_parallel import in_groups
from contractgen.surfaces import SURFACE_NAMES, Options, render_all

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def big_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec_file = ROOT / "benchmarks" / "synth.py"
    module_spec = importlib.util.spec_from_file_location("bench_synth_parallel", spec_file)
    assert module_spec is not None and module_spec.loader is not None
    synth = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(synth)
    contracts: Path = synth.write_tree(tmp_path_factory.mktemp("big"), 260)
    return contracts


def test_parallel_parse_equals_serial(big_tree: Path) -> None:
    jobs = [(p.read_bytes(), p.name) for p in sorted(big_tree.rglob("*.yaml"))]
    jobs.append((b"kind: [broken\n", "broken.yaml"))  # diagnostics travel back too
    assert sum(len(d) for d, _ in jobs) > 400_000, "tree too small to take the fork path"
    forked = parse_all(jobs)
    serial = [parse(d, n) for d, n in jobs]
    assert [(d.data, d.positions, d.diagnostics) for d in forked] == [
        (d.data, d.positions, d.diagnostics) for d in serial
    ]
    assert forked[-1].diagnostics and forked[-1].diagnostics[0].code == "CG110"


def test_parallel_load_equals_serial(big_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Resolution overlaps the child's parsing: the spec is the same as a serial load's."""
    forked = load(big_tree)
    monkeypatch.setenv("CONTRACTGEN_SPEED_OFF", "two-cores")
    serial = load(big_tree)
    assert forked.ok and forked.spec is not None
    assert forked.spec == serial.spec
    assert forked.diagnostics == serial.diagnostics


def _jobs(tree: Path) -> list[parallel.Job]:
    return [(p.read_bytes(), p.name) for p in sorted(tree.rglob("*.yaml"))]


def _parsed_here(jobs: list[parallel.Job]) -> list[Any]:
    return [(d.data, d.positions, d.diagnostics) for d in (parse(*job) for job in jobs)]


def _forked_parse(
    jobs: list[parallel.Job], monkeypatch: pytest.MonkeyPatch
) -> tuple[list[Any], list[int], list[str]]:
    """Documents, the order early heard of them, and the files parsed here."""
    heard: list[int] = []
    parsing = parallel.Parsing(jobs)
    assert parsing.child is not None, "tree too small to take the fork path"
    here: list[str] = []

    def counted(data: bytes, name: str) -> Any:
        here.append(name)
        return parse(data, name)

    monkeypatch.setattr(parallel, "parse", counted)  # (here only: the child is forked)
    docs: dict[int, Any] = {}

    def take(i: int, doc: Any) -> None:
        heard.append(i)
        docs[i] = doc

    parsing.finish(take)
    return (
        [(docs[i].data, docs[i].positions, docs[i].diagnostics) for i in range(len(jobs))],
        heard,
        here,
    )


def test_a_child_failing_part_way_changes_nothing(
    big_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the child did not send is parsed here; early hears of every file once."""
    jobs = _jobs(big_tree)
    real = parallel._batches

    def breaks_after_two(jobs: Sequence[parallel.Job], shared: Any) -> Iterator[Any]:
        batches = real(jobs, shared)
        yield next(batches)
        yield next(batches)
        raise RuntimeError("the child breaks")

    monkeypatch.setattr(parallel, "_batches", breaks_after_two)
    docs, heard, _ = _forked_parse(jobs, monkeypatch)
    assert sorted(heard) == list(range(len(jobs)))
    assert docs == _parsed_here(jobs)


def test_a_slow_child_has_its_last_files_parsed_here(
    big_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This process takes the child's last jobs while it waits; nothing twice, nothing lost."""
    jobs = _jobs(big_tree)
    real = parallel._batches

    def slow(jobs: Sequence[parallel.Job], shared: Any) -> Iterator[Any]:
        for batch in real(jobs, shared):
            time.sleep(0.05)
            yield batch

    monkeypatch.setattr(parallel, "_batches", slow)
    monkeypatch.setattr(parallel, "BATCH", 4)
    docs, heard, here = _forked_parse(jobs, monkeypatch)
    assert sorted(heard) == list(range(len(jobs)))
    split = parallel._split(jobs)
    assert heard[:split] == list(range(split))  # its own files first, in order
    assert len(here) - split > (len(jobs) - split) // 2  # most of the child's files
    assert docs == _parsed_here(jobs)


def test_parallel_render_equals_serial(big_tree: Path) -> None:
    result = load(big_tree)
    assert result.spec is not None
    assert len(result.spec.operations) >= 200
    spec = result.spec

    def render(group: list[str]) -> list[tuple[str, str]]:
        return [(f.path, f.content) for f in render_all(spec, Options(), group)]

    groups = in_groups(list(SURFACE_NAMES), len(spec.operations), render)
    assert len(groups) == 2  # one of them rendered in a forked child
    assert sorted(item for group in groups for item in group) == render(list(SURFACE_NAMES))


def _build(contracts: Path, out: Path, serial: str) -> None:
    """contractgen build as a user runs it, serial ("1") or on two cores ("0")."""
    off = "two-cores" if serial == "1" else ""
    env = {**os.environ, "CONTRACTGEN_SPEED_OFF": off, "CONTRACTGEN_NO_CACHE": "1"}
    command = [sys.executable, "-m", "contractgen", "build", "-q"]
    subprocess.run(
        [*command, "--contracts", str(contracts), "--output", str(out)],
        cwd=out.parent,
        env=env,
        check=True,
    )


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_parallel_build_writes_the_same_tree_as_serial(big_tree: Path, tmp_path: Path) -> None:
    """The forked build (each process renders and places half) equals the serial one."""
    outs = {s: tmp_path / f"out-{s}" for s in ("1", "0")}
    for serial, out in outs.items():
        _build(big_tree, out, serial)
    trees = {s: _tree(o) for s, o in outs.items()}
    assert trees["1"] == trees["0"]
    assert ".contractgen-manifest.json" in trees["0"]
    assert not list(tmp_path.glob(".out-*.contractgen-staging-*"))


def test_parallel_rebuild_over_an_existing_tree_equals_serial(
    big_tree: Path, tmp_path: Path
) -> None:
    """Unchanged files linked, changed ones rewritten, foreign files kept, removed ones pruned."""
    contracts = tmp_path / "contracts"
    shutil.copytree(big_tree, contracts)
    outs = {s: tmp_path / f"out-{s}" for s in ("1", "0")}
    for serial, out in outs.items():
        _build(contracts, out, serial)
        (out / "notes.txt").write_text("mine\n")
    record = sorted(contracts.rglob("*.record.yaml"))[0]
    record.write_text(record.read_text().replace("  description: ", "  description: Edited. ", 1))
    removed = sorted(contracts.rglob("*.delete.yaml"))[0]
    removed.unlink()
    for serial, out in outs.items():
        _build(contracts, out, serial)
    trees = {s: _tree(o) for s, o in outs.items()}
    assert trees["1"] == trees["0"]
    assert trees["0"]["notes.txt"] == b"mine\n"
    assert not any(removed.stem in path for path in trees["0"])
    assert any(b"Edited." in content for content in trees["0"].values())


def test_no_child_to_be_had_means_parsing_here(
    big_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    jobs = _jobs(big_tree)
    parsing = parallel.Parsing(jobs)
    assert parsing.child is None and parsing.split == len(jobs)
    docs: dict[int, Any] = {}
    parsing.finish(docs.__setitem__)
    parsed = [(docs[i].data, docs[i].positions, docs[i].diagnostics) for i in range(len(jobs))]
    assert parsed == _parsed_here(jobs)
