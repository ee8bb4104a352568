"""Measures contractgen commands on a synthetic contracts tree.

    python benchmarks/bench.py [--ops N] [--what validate] [--runs 5]

Generates the tree (benchmarks/synth.py) in a temporary folder, runs each
step as a subprocess several times and prints wall time (min and median) and
the peak resident memory of the child, next to the step's target.

Steps are rows of STEPS: a name, the command line, an optional preparation
run before each timed run, and targets. ``python-builtin`` and
``python-datamodel-code-generator`` compare the two models engines on the
Python surface alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import write_tree


def _contractgen() -> list[str]:
    return [sys.executable, "-m", "contractgen"]


@dataclass(frozen=True)
class Step:
    name: str
    #: The command, given the work folder (which holds contracts/).
    command: Callable[[Path], list[str]]
    target_seconds: float
    target_mb: float
    #: Run before each timed run (not timed), e.g. to touch a file.
    prepare: Callable[[Path], None] | None = None
    #: Exit codes that count as success.
    ok_codes: tuple[int, ...] = field(default=(0,))
    #: The folder to run in (default: the work folder).
    where: Callable[[Path], Path] | None = None
    #: Timed runs, when fewer than --runs are enough (slow steps).
    runs: int | None = None
    #: Run once before the step (not timed), e.g. to build the tree it checks.
    setup: Callable[[Path], None] | None = None


def _clean_output(work: Path) -> None:
    """No output folder and no caches, as on a fresh clone.

    The previous tree is moved aside rather than deleted here: deleting some
    5,000 files leaves the file system busy for a while (this disk is mounted
    with online discard), which a fresh clone never pays for. The trash is
    emptied after the step (see ``_empty_trash``).
    """
    trash = work / ".bench-trash"
    trash.mkdir(exist_ok=True)
    for name in ("generated", ".contractgen-cache"):
        if (work / name).exists():
            os.rename(work / name, trash / f"{name}-{time.monotonic_ns()}")


def _ensure_built(work: Path) -> None:
    """An output folder to check, when no earlier step has built one."""
    if not (work / "generated").exists():
        subprocess.run([*_contractgen(), "build", "--quiet"], cwd=work, check=True)


def _empty_trash(work: Path) -> None:
    shutil.rmtree(work / ".bench-trash", ignore_errors=True)


def _tmpfs_output(work: Path) -> Path:
    return Path("/dev/shm") / f"contractgen-bench-{work.name}" / "generated"


def _clean_tmpfs(work: Path) -> None:
    shutil.rmtree(_tmpfs_output(work).parent, ignore_errors=True)
    shutil.rmtree(work / ".contractgen-cache", ignore_errors=True)


def _edit_one_contract(work: Path) -> None:
    """Changes one operation's description (toggling a marker), as a developer would."""
    target = sorted((work / "contracts").rglob("*.record.yaml"))[0]
    text = target.read_text()
    if "(edited) " in text:
        text = text.replace("(edited) ", "", 1)
    else:
        text = text.replace("  description: ", "  description: (edited) ", 1)
    target.write_text(text)


def _edit_one_model(work: Path) -> None:
    """Adds a field to one operation's input model, or takes it away again: a
    structural edit that other domains do not see."""
    target = sorted((work / "contracts").rglob("*.get.yaml"))[0]
    text = target.read_text()
    extra = "      benchNote: {type: String, isOptional: true}\n"
    if extra in text:
        text = text.replace(extra, "", 1)
    else:
        marker = "    fields:\n"
        at = text.index(marker) + len(marker)
        text = text[:at] + extra + text[at:]
    target.write_text(text)


def _add_or_remove_contract(work: Path) -> None:
    """Adds a query that reads an existing model, or removes it again: the set of
    names changes, so the build renders everything."""
    domain = sorted((work / "contracts").iterdir())[0]
    added = domain / "benchextra.get.yaml"
    if added.exists():
        added.unlink()
        return
    names = [
        line.strip().removesuffix(":")
        for line in (domain / "usage0.record.yaml").read_text().splitlines()
        if line.startswith("  G") and line.strip().endswith(("Input:", "Output:"))
    ]
    given, output = sorted(names)  # ...Input, ...Output
    added.write_text(
        "kind: query\n"
        "meta:\n"
        "  key: benchextra.get\n"
        '  version: "1.0.0"\n'
        "  description: Added by the benchmark.\n"
        "  goal: Measure a build after a contract is added.\n"
        "  context: Benchmarks.\n"
        "  stability: beta\n"
        "  owners: [team.bench]\n"
        "io:\n"
        f"  input: {given}\n"
        f"  output: {output}\n"
        "policy:\n"
        "  auth: user\n"
    )


def _engine_folder(work: Path, engine: str) -> Path:
    """A project folder building only the Python surface with the given models engine."""
    folder = work / f"engine-{engine}"
    folder.mkdir(exist_ok=True)
    (folder / "pyproject.toml").write_text(
        "[tool.contractgen]\n"
        'contracts = "../contracts"\n'
        'output = "generated"\n'
        'surfaces = ["python"]\n'
        "[tool.contractgen.python]\n"
        f'models-engine = "{engine}"\n'
    )
    return folder


STEPS: dict[str, Step] = {
    # Without the parse cache: a fresh clone, or CI.
    "validate-cold": Step(
        "validate-cold",
        lambda work: [*_contractgen(), "validate", "--quiet", "--no-cache", "contracts"],
        target_seconds=1.0,
        target_mb=200.0,
    ),
    # With the parse cache of the previous run: a developer validating again.
    "validate": Step(
        "validate",
        lambda work: [*_contractgen(), "validate", "--quiet", "contracts"],
        target_seconds=1.0,
        target_mb=200.0,
    ),
    # A cold build: no output folder, no cache (what a fresh clone does).
    "build": Step(
        "build",
        lambda work: [*_contractgen(), "build", "--quiet"],
        target_seconds=2.5,
        target_mb=250.0,
        prepare=_clean_output,
    ),
    # The same cold build into memory (tmpfs): the tool's own work, without the
    # disk's cost of creating some 5,000 new files.
    "build-tmpfs": Step(
        "build-tmpfs",
        lambda work: [*_contractgen(), "build", "--quiet", "--output", str(_tmpfs_output(work))],
        target_seconds=2.5,
        target_mb=250.0,
        prepare=lambda work: _clean_tmpfs(work),
    ),
    # Nothing changed since the last build.
    "build-noop": Step(
        "build-noop",
        lambda work: [*_contractgen(), "build", "--quiet"],
        target_seconds=0.3,
        target_mb=250.0,
    ),
    # One contract's description changed since the last build.
    "build-edit": Step(
        "build-edit",
        lambda work: [*_contractgen(), "build", "--quiet"],
        target_seconds=0.6,
        target_mb=250.0,
        prepare=_edit_one_contract,
    ),
    # A field added to (or removed from) one domain's model since the last build.
    "build-edit-field": Step(
        "build-edit-field",
        lambda work: [*_contractgen(), "build", "--quiet"],
        target_seconds=0.6,
        target_mb=250.0,
        prepare=_edit_one_model,
    ),
    # A contract added (or removed): names change, every domain is rendered again.
    "build-add": Step(
        "build-add",
        lambda work: [*_contractgen(), "build", "--quiet"],
        target_seconds=2.5,
        target_mb=250.0,
        prepare=_add_or_remove_contract,
    ),
    # --check on an exact tree, with the local cache (a developer's machine).
    "check": Step(
        "check",
        lambda work: [*_contractgen(), "build", "--check", "--quiet"],
        target_seconds=0.5,
        target_mb=250.0,
        setup=_ensure_built,
    ),
    # --check without the cache: what CI does on a fresh clone.
    "check-cold": Step(
        "check-cold",
        lambda work: [*_contractgen(), "build", "--check", "--quiet", "--no-cache"],
        target_seconds=2.5,
        target_mb=250.0,
        setup=_ensure_built,
    ),
}


def _in_engine_folder(engine: str) -> Callable[[Path], Path]:
    return lambda work: _engine_folder(work, engine)


#: The Python surface alone, by models engine (why the built-in engine is the default).
for _engine in ("builtin", "datamodel-code-generator"):
    STEPS[f"python-{_engine}"] = Step(
        f"python-{_engine}",
        lambda work: [*_contractgen(), "build", "--quiet", "--no-cache"],
        target_seconds=2.5,
        target_mb=250.0,
        where=_in_engine_folder(_engine),
        runs=1,
    )


#: The targets at ten times the default size (13,000 operations, 19,000 files): the
#: cost of an edit or a no-op must follow the change, not the tree, and a cold
#: build may take at most 10.5 times the 1,300-operation target (2.5 s).
LARGE_OPS = 13000
LARGE_TARGETS: dict[str, tuple[float, float]] = {
    "build": (10.5 * 2.5, 600.0),
    "build-tmpfs": (10.5 * 2.5, 600.0),
    "build-noop": (0.3, 250.0),
    "build-edit": (0.6, 250.0),
    "build-edit-field": (0.6, 250.0),
}


def targets(step: Step, ops: int) -> tuple[float, float]:
    """(seconds, MB) the step must stay within at this size."""
    if ops >= LARGE_OPS and step.name in LARGE_TARGETS:
        return LARGE_TARGETS[step.name]
    return step.target_seconds, step.target_mb


@dataclass
class Measure:
    walls: list[float]
    peak_mb: float

    @property
    def best(self) -> float:
        return min(self.walls)

    @property
    def median(self) -> float:
        return statistics.median(self.walls)


def settled(work: Path) -> None:
    """Waits until no detached writer of an earlier build is still at work (it holds the
    build lock of its output folder): a step's runs are timed on their own, not beside
    the tail of the run before. (The lock is on the folder that holds the output:
    call this before removing that folder.)"""
    from contractgen.portable import build_lock

    for out in (work / "generated", _tmpfs_output(work)):
        if out.parent.is_dir():
            with build_lock(out):
                pass


def _peak_rss_mb(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Peak RSS of one run, measured in a fresh helper process.

    RUSAGE_CHILDREN keeps the maximum over every child ever waited for, so it is
    read in a separate process that runs only this one command.
    """
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    kib = int(out.stdout.strip().splitlines()[-1])
    return kib / 1024 if sys.platform != "darwin" else kib / (1024 * 1024)


def measure(step: Step, work: Path, runs: int, off: str = "") -> Measure:
    """Times a step; off names speed mechanisms to turn off (CONTRACTGEN_SPEED_OFF)."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "CONTRACTGEN_SPEED_OFF": off}
    # As on a user's machine, the warm-up run leaves .pyc files for the next ones.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = step.command(work)
    cwd = step.where(work) if step.where is not None else work
    runs = min(runs, step.runs or runs)
    if step.setup is not None:
        step.setup(work)
    walls: list[float] = []
    for i in range(runs + 1):  # the first run warms the file cache and .pyc files
        # (before prepare: a prepare that removes the output's folder would take with it
        # the lock an earlier writer holds, and the run would be timed beside it)
        settled(work)
        if step.prepare is not None:
            step.prepare(work)
        start = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        if done.returncode not in step.ok_codes:
            sys.stderr.write(done.stderr[-4000:])
            raise SystemExit(f"{step.name}: exit code {done.returncode}")
        if i > 0:
            walls.append(wall)
    settled(work)
    if step.prepare is not None:
        step.prepare(work)
    peak = _peak_rss_mb(command, cwd, env)
    _empty_trash(work)
    return Measure(walls, peak)


def report(step: Step, ops: int, m: Measure) -> str:
    seconds, mb = targets(step, ops)
    verdict = "ok" if m.best <= seconds and m.peak_mb <= mb else "MISSED"
    return (
        f"{step.name} {ops} ops: wall min {m.best:.2f} s median {m.median:.2f} s, "
        f"peak RSS {m.peak_mb:.0f} MB "
        f"(target {seconds:g} s / {mb:g} MB) {verdict}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark contractgen on a synthetic tree.")
    parser.add_argument("--ops", type=int, default=1300, help="operations in the tree")
    parser.add_argument(
        "--what",
        action="append",
        choices=sorted(STEPS),
        help="steps to measure (repeatable; default: all)",
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per step")
    parser.add_argument("--keep", type=Path, help="write the tree here and keep it")
    args = parser.parse_args(argv)
    names = args.what or list(STEPS)
    with tempfile.TemporaryDirectory(prefix="contractgen-bench-") as tmp:
        work = args.keep or Path(tmp)
        write_tree(work, args.ops)
        files = sum(1 for _ in (work / "contracts").rglob("*.yaml"))
        print(f"tree: {args.ops} ops in {files} files under {work / 'contracts'}")
        missed = False
        try:
            for name in names:
                step = STEPS[name]
                m = measure(step, work, args.runs)
                print(report(step, args.ops, m), flush=True)
                seconds, mb = targets(step, args.ops)
                missed |= m.best > seconds or m.peak_mb > mb
        finally:  # (the tmpfs output is memory: a 13k tree's holds about 650 MB)
            settled(work)
            shutil.rmtree(_tmpfs_output(work).parent, ignore_errors=True)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
