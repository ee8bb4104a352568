"""What each speed mechanism gains: the steps it serves, with it on and off.

    python benchmarks/ablation.py [--ops 1300] [--rounds 3] [--mechanism NAME]...

For each mechanism of ``contractgen.speed.MECHANISMS``, the steps of bench.py
it is meant to speed up are run in rounds, alternately with the mechanism on
and off (``CONTRACTGEN_SPEED_OFF``), so that the drift of a shared machine
hits both alike. Prints the minimum wall time and peak memory of each, and the
gain. A mechanism that gains under 5 % on every step it serves has no place.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import STEPS, Measure, measure
from synth import write_tree

from contractgen.speed import MECHANISMS

#: The steps each mechanism is there for.
SERVES: dict[str, tuple[str, ...]] = {
    "build-cache": ("build-noop", "check"),
    "quick-noop": ("build-noop",),
    "incremental": ("build-edit", "build-edit-field"),
    "splice": ("build-edit", "build-edit-field"),
    "parse-cache": ("validate", "build-add"),
    "two-cores": ("validate-cold", "build-tmpfs", "check-cold"),
    "background": ("build-edit", "build-tmpfs"),
    "stream-patched": ("build-edit", "build-edit-field"),
    "manifest-patch": ("build-edit", "build-edit-field"),
    "in-place": ("build-edit", "build-edit-field"),
    "stream-merged": ("build-tmpfs",),
    "gc-pause": ("validate-cold", "build-tmpfs", "build-edit"),
    "late-free": ("validate-cold", "build-edit"),
    "compiled-templates": ("build-edit",),
}


def _best(measures: list[Measure]) -> tuple[float, float]:
    return min(m.best for m in measures), max(m.peak_mb for m in measures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure each speed mechanism's gain.")
    parser.add_argument("--ops", type=int, default=1300)
    parser.add_argument("--rounds", type=int, default=3, help="on/off rounds per step")
    parser.add_argument("--runs", type=int, default=2, help="timed runs per round")
    parser.add_argument("--mechanism", action="append", choices=MECHANISMS)
    args = parser.parse_args(argv)
    assert set(SERVES) == set(MECHANISMS), "every mechanism needs its steps"
    with tempfile.TemporaryDirectory(prefix="contractgen-ablation-") as tmp:
        work = Path(tmp)
        write_tree(work, args.ops)
        print(f"tree: {args.ops} ops; min wall of {args.rounds} alternate rounds")
        for mechanism in args.mechanism or MECHANISMS:
            for name in SERVES[mechanism]:
                step = STEPS[name]
                on: list[Measure] = []
                off: list[Measure] = []
                for _ in range(args.rounds):
                    on.append(measure(step, work, args.runs))
                    off.append(measure(step, work, args.runs, off=mechanism))
                (t_on, mb_on), (t_off, mb_off) = _best(on), _best(off)
                gain = (t_off - t_on) / t_off * 100
                print(
                    f"{mechanism:18} {name:16} on {t_on:6.2f} s {mb_on:5.0f} MB | "
                    f"off {t_off:6.2f} s {mb_off:5.0f} MB | gain {gain:5.1f} %",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
