"""GitHub's REST API description, from the npm package @octokit/openapi, pinned.

Installed with npm into a cache folder the first time it is asked for (the
test setup and .ci/run call ``ensure``); nothing is fetched at import time.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

PACKAGE = "@octokit/openapi"
VERSION = "23.0.2"
#: The description inside the package (references between its parts resolved by name).
DOCUMENT = "generated/api.github.com.json"
CACHE = Path(__file__).resolve().parent.parent / ".cache" / "octokit"


def ensure(cache: Path = CACHE) -> Path | None:
    """The path of the pinned description, installing the package when it is missing;
    None when npm is not there."""
    document = cache / "node_modules" / PACKAGE / DOCUMENT
    if document.is_file() and _installed_version(cache) == VERSION:
        return document
    npm = shutil.which("npm")
    if npm is None:
        return None
    cache.mkdir(parents=True, exist_ok=True)
    command = [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(cache)]
    subprocess.run([*command, f"{PACKAGE}@{VERSION}"], check=True, capture_output=True)
    return document if document.is_file() else None


def _installed_version(cache: Path) -> str | None:
    import json

    manifest = cache / "node_modules" / PACKAGE / "package.json"
    try:
        version = json.loads(manifest.read_text()).get("version")
    except (OSError, ValueError):
        return None
    return str(version) if version else None


if __name__ == "__main__":
    print(ensure())
