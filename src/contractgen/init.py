"""``contractgen init``: a new project's configuration, first contract and checks.

It plans every file first and writes nothing when any of them is in the way:
an existing file is never replaced. The one file it may change is an existing
``pyproject.toml`` without a ``[tool.contractgen]`` table, which gets the
table appended (nothing in it is rewritten).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from contractgen import __version__
from contractgen.scaffold import scaffold

PYPROJECT = "pyproject.toml"
PRE_COMMIT = ".pre-commit-config.yaml"
WORKFLOW = ".github/workflows/contractgen.yml"

_TABLE = """\
[tool.contractgen]
contracts = "contracts"
output = "generated"
surfaces = ["python", "openapi", "graphql", "docs"]

[tool.contractgen.python]
name = "{domain}-contracts"   # the generated Python distribution (generated/python/pyproject.toml)
version = "0.1.0"

[tool.contractgen.openapi]
title = "{title} API"
version = "0.1.0"
description = "TODO what the {domain} API is for."
# contact-name = "Team name"
# contact-email = "team@example.com"
# license-name = "Apache-2.0"
# license-url = "https://www.apache.org/licenses/LICENSE-2.0"
"""

_PRE_COMMIT = """\
# contractgen's checks as pre-commit hooks (https://pre-commit.com): contracts
# must validate, and the committed generated/ folder must match them.
repos:
  - repo: local
    hooks:
      - id: contractgen-validate
        name: contractgen validate
        entry: contractgen validate
        language: system
        pass_filenames: false
        files: ^(contracts/|pyproject\\.toml$)
      - id: contractgen-check
        name: contractgen build --check
        entry: contractgen build --check
        language: system
        pass_filenames: false
        files: ^(contracts/|templates/|pyproject\\.toml$|generated/)
"""

_WORKFLOW = """\
# Contracts validate, generated/ is current and a pull request breaks no published
# contract without a major version (the breaking-change gate); annotations on the pull request.
name: contracts
on: [push, pull_request]
jobs:
  contractgen:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # the breaking-change gate reads the base branch
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
{install}
      - run: contractgen validate --format github
      - run: contractgen build --check --format github
      - if: github.event_name == 'pull_request'
        run: contractgen diff --against "origin/${{{{ github.base_ref }}}}" --format github
"""


def install_command() -> tuple[str, str | None]:
    """How CI installs the contractgen that runs now, and a warning when CI cannot
    install it that way: from a package index, pinned; from a git URL, at its
    commit (PEP 610's record of where it came from)."""
    pinned = f'pip install "contractgen=={__version__}"'
    origin = _direct_url()
    url = str(origin.get("url", "")) if origin else ""
    vcs = origin.get("vcs_info") if origin else None
    if isinstance(vcs, dict) and vcs.get("commit_id"):
        return f'pip install "contractgen @ {vcs["vcs"]}+{url}@{vcs["commit_id"]}"', None
    if url.startswith("file:"):
        return pinned, (
            f"contractgen runs here from {url}, which CI cannot install from: the"
            f" workflow pins contractgen=={__version__}; make its install step fetch"
            " contractgen from where your team publishes it (a package index or a git URL)"
        )
    if url:
        return f'pip install "contractgen @ {url}"', None
    return pinned, None


def _direct_url() -> dict[str, object] | None:
    """contractgen's direct_url.json (installed from a URL or a folder), else None."""
    try:
        text = distribution("contractgen").read_text("direct_url.json")
    except PackageNotFoundError:
        return None
    found = json.loads(text) if text else None
    return found if isinstance(found, dict) else None


def _install_step() -> str:
    command, warning = install_command()
    comment = f"      # {warning}\n" if warning else ""
    return f"{comment}      - run: {command}"


@dataclass(frozen=True)
class Planned:
    """One file init writes: its path relative to the project, its text, and whether
    the text is appended to an existing file."""

    path: str
    text: str
    append: bool = False


def plan(root: Path, domain: str, owner: str) -> tuple[list[Planned], list[str]]:
    """The files init would write below root, and the reasons it must not (each
    naming a file already there)."""
    key = f"{domain}.get"
    contract = f"contracts/{domain}/{key}.yaml"
    files = [
        Planned(contract, scaffold(key, "query", domain, owner)),
        Planned(PRE_COMMIT, _PRE_COMMIT),
        Planned(WORKFLOW, _WORKFLOW.format(install=_install_step())),
    ]
    conflicts = [f"{f.path} already exists" for f in files if (root / f.path).exists()]
    table = _TABLE.format(domain=domain, title=domain.replace("-", " ").title())
    pyproject = root / PYPROJECT
    if not pyproject.exists():
        files.insert(0, Planned(PYPROJECT, table))
    elif _has_table(pyproject):
        conflicts.insert(0, f"{PYPROJECT} already has a [tool.contractgen] table")
    else:
        files.insert(0, Planned(PYPROJECT, "\n" + table, append=True))
    return files, conflicts


def _has_table(pyproject: Path) -> bool:
    """Whether the file configures contractgen (unreadable TOML counts as yes: hands off)."""
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True
    return "contractgen" in data.get("tool", {})


def write(root: Path, files: list[Planned]) -> None:
    """Writes the planned files (creating folders; appending where planned)."""
    for f in files:
        target = root / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if f.append:
            existing = target.read_text(encoding="utf-8")
            glue = "" if existing.endswith("\n") or not existing else "\n"
            target.write_text(existing + glue + f.text, encoding="utf-8")
        else:
            with target.open("x", encoding="utf-8") as handle:  # never replaces a file
                handle.write(f.text)
