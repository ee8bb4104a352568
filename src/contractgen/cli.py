"""The ``contractgen`` command line: parse arguments, call the library, print.

Exit codes: 0 success, 1 contract or check failures, 2 usage errors.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from contractgen.config import Config, load_config
from contractgen.diagnostics import (
    Diagnostic,
    SourceCache,
    render_github,
    render_json,
    render_text,
    summary,
)
from contractgen.surfaces import Options

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Contract-first code generation: YAML contracts in; Python, OpenAPI, GraphQL, docs out.",
)


class Format(str, Enum):
    text = "text"
    json = "json"
    github = "github"


def report(diags: list[Diagnostic], fmt: Format, quiet: bool = False) -> None:
    """Prints diagnostics; text goes to stderr so that stdout stays for data."""
    if fmt is Format.json:
        typer.echo(render_json(diags))
        return
    if fmt is Format.github:
        if diags:
            typer.echo(render_github(diags))
        return
    if diags:
        typer.echo(render_text(diags, SourceCache()), err=True)
    if diags or not quiet:
        typer.echo(summary(diags), err=True)


def _config(overrides: dict[str, object]) -> Config:
    config = load_config(overrides=overrides)
    if config.diagnostics:
        report(config.diagnostics, Format.text)
        raise typer.Exit(2)
    return config


@app.command()
def validate(
    path: Annotated[
        Path | None, typer.Argument(help="Contracts folder (default: configured, or ./contracts).")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Diagnostics format.")] = Format.text,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")] = False,
) -> None:
    """Check every contract and report all problems in one run."""
    from contractgen.load import load

    config = _config({})
    root = path if path is not None else config.contracts
    result = load(root)
    report(result.diagnostics, fmt, quiet)
    if not result.ok:
        raise typer.Exit(1)
    if fmt is Format.text and not quiet and result.spec is not None:
        spec = result.spec
        typer.echo(
            f"ok: {len(spec.operations)} operations, {len(spec.events)} events, "
            f"{len(spec.models)} models, {len(spec.enums)} enums",
            err=True,
        )


@app.command()
def build(
    check: Annotated[
        bool, typer.Option("--check", help="Compare with the output folder; write nothing.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="With --check: print unified diffs.")
    ] = False,
    contracts: Annotated[
        Path | None, typer.Option("--contracts", "-c", help="Contracts folder.")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output folder.")] = None,
    surface: Annotated[
        list[str] | None,
        typer.Option("--surface", "-s", help="Surfaces to build (repeatable; default: all)."),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Diagnostics format.")] = Format.text,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")] = False,
) -> None:
    """Render every surface into the output folder (or check that it is current)."""
    from contractgen.load import load
    from contractgen.surfaces import render_all
    from contractgen.write import UnsafePath, compare, unified_diff, write

    overrides: dict[str, object] = {
        "contracts": str(contracts) if contracts else None,
        "output": str(output) if output else None,
        "surfaces": surface or None,
    }
    config = _config(overrides)
    result = load(config.contracts)
    if not result.ok or result.spec is None:
        report(result.diagnostics, fmt)
        raise typer.Exit(1)
    files = render_all(result.spec, Options.from_config(config), config.settings.surfaces)
    out = config.output
    try:
        if check:
            changes = compare(out, files)
            if diff:
                typer.echo(unified_diff(out, files, changes), nl=False)
            for label, paths in (
                ("stale", changes.stale),
                ("missing", changes.missing),
                ("orphaned", changes.orphaned),
            ):
                for rel in paths:
                    typer.echo(f"{label}: {out.name}/{rel}", err=True)
            if not changes.exact:
                typer.echo(
                    f"{out.name}/ is not current: {len(changes.stale)} stale, "
                    f"{len(changes.missing)} missing, {len(changes.orphaned)} orphaned; "
                    "run 'contractgen build'",
                    err=True,
                )
                raise typer.Exit(1)
            if not quiet:
                typer.echo(f"{out.name}/ is current ({len(files)} files)", err=True)
            return
        changes = write(out, files)
    except UnsafePath as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    if not quiet:
        written = len(changes.stale) + len(changes.missing)
        typer.echo(f"built {len(files)} files into {out.name}/ ({written} written)", err=True)


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file.")] = None,
) -> None:
    """Print the JSON Schema of the contract file format (for editors)."""
    from contractgen.load.schema import json_schema

    text = json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
