"""Identical input gives byte-identical output, whatever the hash seed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build(out: Path, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-m", "contractgen", "build", "--quiet", "--output", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_build_is_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    first = build(tmp_path / "a", "0")
    second = build(tmp_path / "b", "12345")
    assert first, "the build produced nothing"
    assert first.keys() == second.keys()
    differing = [p for p in first if first[p] != second[p]]
    assert not differing
    for content in first.values():
        text = content.decode("utf-8")
        assert "20" + "26-" not in text.split("\n", 3)[0]  # no date in a header line
