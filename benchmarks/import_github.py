"""Imports GitHub's REST API description (npm @octokit/openapi, pinned in
octokit.py) and builds the result; prints wall time and peak memory of each
step and how much of the description was carried. Not a test.

    python benchmarks/import_github.py [--doc FILE] [--keep DIR]

Targets (issue 14): the import within 5 s and 500 MB; at least 99 % of the
operations imported with their parameters and statuses; every loss reported
(located). Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import octokit
from bench import _peak_rss_mb

from contractgen.import_ import ImportOptions, import_openapi
from contractgen.import_.openapi import KINDS, OTHER_METHODS, ImportResult

IMPORT_SECONDS = 5.0
IMPORT_MB = 500.0
CARRIED_SHARE = 0.99


def _timed(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MB) and exit code of one run of command."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    start = time.perf_counter()
    code = subprocess.run(command, cwd=cwd, env=env, capture_output=True).returncode
    seconds = time.perf_counter() - start
    return seconds, _peak_rss_mb(command, cwd, env), code


def whole_operations(result: ImportResult) -> int:
    """Operations carried with every parameter and status (no loss reported there)."""
    whole = 0
    for carried in result.carried:
        params = carried.loc.at("parameters")
        statuses = carried.loc.at("responses")
        lost = [
            loss
            for loss in result.report.losses
            if loss.kind in ("parameters", "status")
            and (
                params.path == loss.loc.path[: len(params.path)]
                or statuses.path == loss.loc.path[: len(statuses.path)]
            )
        ]
        whole += not lost
    return whole


def source_operations(result: ImportResult) -> int:
    doc = result.types.sources.files[next(iter(result.types.sources.files))].data
    methods = (*KINDS, *OTHER_METHODS)
    return sum(m in item for item in (doc.get("paths") or {}).values() for m in methods)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--doc", type=Path, help="another OpenAPI document")
    parser.add_argument("--keep", type=Path, help="import into this folder and keep it")
    args = parser.parse_args(argv)
    doc = args.doc or octokit.ensure()
    if doc is None:
        print("npm is needed to install the pinned description", file=sys.stderr)
        return 2
    work = args.keep or Path(tempfile.mkdtemp(prefix="import-github-"))
    work.mkdir(parents=True, exist_ok=True)
    contracts, output = work / "contracts", work / "generated"
    cli = [sys.executable, "-m", "contractgen"]
    into = ["--into", str(contracts), "--domain", "github", "--force"]
    imp = _timed([*cli, "import", "openapi", str(doc.resolve()), *into], work)
    build = _timed([*cli, "build", "--contracts", str(contracts), "--output", str(output)], work)
    result = import_openapi(doc, ImportOptions(domain="github"))
    total, whole = source_operations(result), whole_operations(result)
    located = all(d.line >= 1 for d in result.report.diagnostics)
    share = whole / total if total else 0.0
    print(f"document: {doc} ({total} operations)")
    print(f"import: {imp[0]:.2f} s, {imp[1]:.0f} MB peak (exit {imp[2]})")
    print(f"build:  {build[0]:.2f} s, {build[1]:.0f} MB peak (exit {build[2]})")
    print(f"carried: {len(result.carried)} operations, {whole} with every parameter and status")
    print(f"         ({share:.1%} of the document's operations)")
    print(result.report.summary())
    print(f"every loss located: {located} ({len(result.report.diagnostics)} diagnostics)")
    missed = imp[0] > IMPORT_SECONDS or imp[1] > IMPORT_MB or share < CARRIED_SHARE
    return 1 if missed or not located or imp[2] or build[2] else 0


if __name__ == "__main__":
    sys.exit(main())
