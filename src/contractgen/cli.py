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
