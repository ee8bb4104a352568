"""The ``contractgen`` command line: parse arguments, call the library, print.

Exit codes: 0 success, 1 contract or check failures, 2 usage errors.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from contractgen.diagnostics import (
    Diagnostic,
    SourceCache,
    render_github,
    render_json,
    render_text,
    summary,
)

if TYPE_CHECKING:
    from contractgen.config import Config
    from contractgen.import_.command import Outcome as ImportOutcome
    from contractgen.speed.cache import Target
    from contractgen.write import Changes

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    # Plain help: options shown as they are typed (a flag is '--check', never '--check <bool>').
    rich_markup_mode=None,
    help="Contract-first code generation: YAML contracts in; Python, OpenAPI, GraphQL, docs out.",
)


def _print_version(value: bool) -> None:
    if value:
        from contractgen import __version__

        typer.echo(f"contractgen {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            callback=_print_version,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Contract-first code generation: YAML contracts in; Python, OpenAPI, GraphQL, docs out."""


class Format(str, Enum):
    text = "text"
    json = "json"
    github = "github"


#: The options several commands share, defined once.
DiagnosticsFormat = Annotated[Format, typer.Option("--format", help="Diagnostics format.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")]
Surfaces = Annotated[
    list[str] | None,
    typer.Option(
        "--surface", "-s", metavar="<surface>", help="Surfaces to build (repeatable; default: all)."
    ),
]
Against = Annotated[
    str | None,
    typer.Option(
        "--against",
        metavar="<ref>",
        help="Also run the breaking-change gate against a git ref or folder.",
    ),
]


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


def _config(overrides: dict[str, object], fmt: Format = Format.text) -> Config:
    from contractgen.config import load_config

    config = load_config(overrides=overrides)
    if config.diagnostics:
        report(config.diagnostics, fmt)
        raise typer.Exit(2)
    return config


@app.command()
def validate(
    path: Annotated[
        Path | None, typer.Argument(help="Contracts folder (default: configured, or ./contracts).")
    ] = None,
    fmt: DiagnosticsFormat = Format.text,
    quiet: Quiet = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Parse every file, ignoring the parse cache.")
    ] = False,
) -> None:
    """Check every contract and report all problems in one run."""
    from contractgen.load import load

    config = _config({}, fmt)
    root = path if path is not None else config.contracts
    from contractgen.files import caches_allowed

    use_cache = not no_cache and caches_allowed()
    # (The process ends right after: leave the loaded tree for the system to reclaim.)
    result = load(root, config.cache_dir if use_cache else None, free_late=True)
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
    surface: Surfaces = None,
    fmt: DiagnosticsFormat = Format.text,
    quiet: Quiet = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Render and compare even when inputs are unchanged.")
    ] = False,
    against: Against = None,
) -> None:
    """Render every surface into the output folder (or check that it is current)."""
    overrides: dict[str, object] = {
        "contracts": str(contracts) if contracts else None,
        "output": str(output) if output else None,
        "surfaces": surface or None,
    }
    from contractgen.files import caches_allowed
    from contractgen.speed.cache import build_target, prepared

    # Unchanged inputs: answer before importing (or validating) anything heavy.
    use_cache = not no_cache and caches_allowed()
    target = prepared(Path.cwd(), overrides) or build_target(
        Path.cwd(), overrides, scan=use_cache and against is None
    )
    if against is None and use_cache and _unchanged(target, check, quiet, fmt):
        return
    config = _config(overrides, fmt)
    if against is not None:
        _gate_before_build(config, against, fmt)
    code = _build_once(
        config,
        target,
        check=check,
        diff=diff,
        fmt=fmt,
        quiet=quiet,
        use_cache=use_cache,
        cache_checked=against is None,  # the fast path above already looked
    )
    if code:
        raise typer.Exit(code)


def _gate_before_build(config: Config, against: str, fmt: Format) -> None:
    """``build --against``: the breaking-change gate; a failure stops the build."""
    gate_fmt = {"github": "github", "json": "json"}.get(fmt.value, "text")
    code = _run_gate(config, against, gate_fmt)
    if code:
        typer.echo("build stopped: the breaking-change gate failed", err=True)
        raise typer.Exit(code)


def _unchanged(target: Target | None, check: bool, quiet: bool, fmt: Format) -> bool:
    """True (and says so) when the cache shows the last build of these inputs is intact."""
    from contractgen.speed.cache import is_fresh

    if target is None or not is_fresh(target, check):
        return False
    _say_unchanged(target.output, check, quiet, fmt)
    return True


def _say_unchanged(out: Path, check: bool, quiet: bool, fmt: Format) -> None:
    from contractgen.speed.cache import unchanged_message

    if fmt is Format.json:
        typer.echo(json.dumps(_outcome_json(out, check, unchanged=True), indent=2))
    elif not quiet:
        typer.echo(unchanged_message(out, check), err=True)


def _outcome_json(
    out: Path, check: bool, *, unchanged: bool = False, changes: Changes | None = None
) -> dict[str, object]:
    """What ``build --format json`` prints: the folder, whether it is (now) current, and
    the files a check found differing (or a build wrote)."""
    stale, missing, orphaned = (
        (changes.stale, changes.missing, changes.orphaned) if changes else ([], [], [])
    )
    return {
        "output": out.name,
        "check": check,
        "current": not (check and (stale or missing or orphaned)),
        "unchanged": unchanged,
        "stale": stale,
        "missing": missing,
        "orphaned": orphaned,
    }


class Progress:
    """One status line on a terminal, rewritten in place; silent elsewhere (CI, pipes)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.width = 0

    def step(self, text: str) -> None:
        if self.enabled:
            line = f"contractgen: {text}..."
            sys.stderr.write("\r" + line.ljust(self.width))
            sys.stderr.flush()
            self.width = len(line)

    def done(self) -> None:
        if self.enabled and self.width:
            sys.stderr.write("\r" + " " * self.width + "\r")
            sys.stderr.flush()
            self.width = 0


def _build_once(
    config: Config,
    target: Target | None,
    *,
    check: bool,
    diff: bool,
    fmt: Format,
    quiet: bool,
    use_cache: bool,
    cache_checked: bool = False,
) -> int:
    """One build or check, printed; returns the exit code. Shared by build and watch."""
    from contractgen import build as builder

    out = config.output
    progress = Progress(enabled=not quiet and sys.stderr.isatty())
    try:
        outcome = builder.run(
            config,
            target,
            check=check,
            use_cache=use_cache,
            cache_checked=cache_checked,
            step=progress.step,
        )
    finally:
        progress.done()
    if outcome.unchanged:
        _say_unchanged(out, check, quiet, fmt)
        return 0
    if outcome.diagnostics:
        report(outcome.diagnostics, fmt)
        return 1
    if outcome.error:
        typer.echo(f"error: {outcome.error}", err=True)
        return 1
    changes = outcome.changes
    assert changes is not None
    if check:
        if diff and fmt is not Format.json:  # (json: stdout holds the one JSON object)
            from contractgen.write import unified_diff

            typer.echo(unified_diff(out, outcome.files, changes), nl=False)
        return _report_check(out, changes, outcome.count, fmt=fmt, quiet=quiet)
    if fmt is Format.json:
        typer.echo(json.dumps(_outcome_json(out, check, changes=changes), indent=2))
    elif not quiet:
        written = len(changes.stale) + len(changes.missing)
        typer.echo(f"built {outcome.count} files into {out.name}/ ({written} written)", err=True)
    return 0


#: What each kind of difference a check finds means, and what fixes it.
_CHECK_FINDINGS = {
    "stale": "differs from what the contracts produce; run 'contractgen build'",
    "missing": "is not on disk; run 'contractgen build'",
    "orphaned": (
        "is not produced by the contracts, and a build keeps files it did not write; "
        "delete it (or move it out of the output folder)"
    ),
}


def _report_check(out: Path, changes: Changes, count: int, *, fmt: Format, quiet: bool) -> int:
    """Prints what a check found in the chosen format; the exit code."""
    from contractgen.diagnostics import gh_escape

    found = [
        (label, f"{out.name}/{rel}")
        for label, paths in (
            ("stale", changes.stale),
            ("missing", changes.missing),
            ("orphaned", changes.orphaned),
        )
        for rel in paths
    ]
    if fmt is Format.json:
        typer.echo(json.dumps(_outcome_json(out, True, changes=changes), indent=2))
    for label, path in found:
        if fmt is Format.github:
            # GitHub places an annotation by its path from the working directory.
            where = Path(os.path.relpath(out.parent / path)).as_posix()
            message = f"{label}: {path} {_CHECK_FINDINGS[label]}"
            typer.echo(f"::error file={gh_escape(where, True)}::{gh_escape(message)}")
        typer.echo(f"{label}: {path}", err=True)
    if found:
        typer.echo(f"{out.name}/ is not current: {_check_advice(changes)}", err=True)
        return 1
    if not quiet and fmt is Format.text:
        typer.echo(f"{out.name}/ is current ({count} files)", err=True)
    return 0


def _check_advice(changes: Changes) -> str:
    """What fixes what a check found, each part naming what it fixes."""
    parts = []
    rebuild = len(changes.stale) + len(changes.missing)
    if rebuild:
        parts.append(
            f"{len(changes.stale)} stale and {len(changes.missing)} missing: "
            "run 'contractgen build'"
        )
    if changes.orphaned:
        parts.append(
            f"{len(changes.orphaned)} orphaned (files no build wrote, which a build keeps): "
            "delete them"
        )
    return "; ".join(parts)


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


@contextlib.contextmanager
def _runtime_errors() -> Iterator[None]:
    """``serve`` and ``verify``: why the app cannot run (a missing extra, an app that
    does not import) as one line on stderr and exit code 2."""
    from contractgen.runtime import ServeError, missing_extra

    try:
        yield
    except ModuleNotFoundError as exc:
        hint = missing_extra(exc)
        if hint is None:
            raise
        typer.echo(f"error: {hint}", err=True)
        raise typer.Exit(2) from exc
    except ServeError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


@app.command()
def serve(
    target: Annotated[
        str | None,
        typer.Option("--app", help="Serve this app or registry (module:attr) instead of the mock."),
    ] = None,
    mock: Annotated[
        bool, typer.Option("--mock", help="Answer from the contracts' examples (the default).")
    ] = False,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    reload: Annotated[bool, typer.Option("--reload", help="Restart when code changes.")] = False,
    stdio: Annotated[
        bool, typer.Option("--stdio", help="Serve MCP over stdin and stdout instead of HTTP.")
    ] = False,
) -> None:
    """Serve the contracts over REST, GraphQL and MCP (uvicorn): your app, or the mock."""
    if target is not None and mock:
        typer.echo("error: --app and --mock exclude each other", err=True)
        raise typer.Exit(2)
    config = _config({})
    with _runtime_errors():
        from contractgen.runtime.serving import run, run_stdio

        if stdio:
            run_stdio(config, target)
        else:
            run(config, target, host, port, reload)


@app.command()
def verify(
    target: Annotated[
        str | None,
        typer.Option("--app", help="The app, or a function making one (module:attr)."),
    ] = None,
    mock: Annotated[bool, typer.Option("--mock", help="Verify the mock of the contracts.")] = False,
    fmt: Annotated[Format, typer.Option("--format", help="Report format.")] = Format.text,
    examples: Annotated[
        int, typer.Option("--examples", help="schemathesis cases per operation.")
    ] = 20,
) -> None:
    """Check an app against its contracts: schemathesis, the auth matrix on REST, GraphQL
    and MCP, and every example with the same outcome on all three. Exit 1 on a failure."""
    if (target is None) == (not mock):
        typer.echo("error: give exactly one of --app and --mock", err=True)
        raise typer.Exit(2)
    config = _config({})
    with _runtime_errors():
        from contractgen.runtime.serving import run_verify

        report_text, ok = run_verify(config, target, fmt.value, examples)
    typer.echo(report_text)
    raise typer.Exit(0 if ok else 1)


@app.command()
def watch(
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")] = False,
) -> None:
    """Rebuild whenever contracts, templates or the configuration change (Ctrl-C stops)."""
    gc.enable()  # a long-lived process: collect cycles between rebuilds (see console)
    from contractgen.files import builtin_templates, caches_allowed
    from contractgen.speed.cache import build_target
    from contractgen.watch import watch as run_watch

    config = _config({})
    paths = [config.contracts, builtin_templates()]
    if config.templates is not None:
        paths.append(config.templates)
    if config.source is not None:
        paths.append(config.source)

    def rebuild() -> None:
        from contractgen.config import load_config

        current = load_config(config.base)
        if current.diagnostics:
            report(current.diagnostics, Format.text)
            return
        _build_once(
            current,
            build_target(current.base, {}),
            check=False,
            diff=False,
            fmt=Format.text,
            quiet=quiet,
            use_cache=caches_allowed(),
        )
        typer.echo("watching for changes (Ctrl-C to stop)", err=True)

    try:
        run_watch(paths, rebuild)
    except KeyboardInterrupt:
        typer.echo("stopped", err=True)


class Kind(str, Enum):
    command = "command"
    query = "query"
    event = "event"


@app.command()
def new(
    key: Annotated[str, typer.Argument(help="Dotted key of the new contract, e.g. usage.export.")],
    kind: Annotated[Kind, typer.Option("--kind", "-k", help="What to create.")] = Kind.command,
    domain: Annotated[
        str | None, typer.Option("--domain", "-d", help="Domain folder (default: first key part).")
    ] = None,
    owner: Annotated[str, typer.Option("--owner", help="Owning team.")] = "team.owner",
) -> None:
    """Scaffold a valid contract file under the contracts folder."""
    from contractgen.load import load
    from contractgen.load.resolve import DOMAIN_RE, KEY_RE
    from contractgen.scaffold import place, scaffold

    if not KEY_RE.match(key):
        typer.echo(f"error: '{key}' is not a valid key (e.g. usage.export)", err=True)
        raise typer.Exit(2)
    config = _config({})
    placement = place(config.contracts, key, kind.value, domain)
    domain, target = placement.domain, placement.path
    if not DOMAIN_RE.match(domain):
        typer.echo(f"error: '{domain}' is not a valid domain name", err=True)
        raise typer.Exit(2)
    if target.exists():
        typer.echo(f"error: {target} already exists", err=True)
        raise typer.Exit(1)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(scaffold(key, kind.value, domain, owner), encoding="utf-8")
    result = load(config.contracts)
    if not result.ok:
        report(result.diagnostics, Format.text)
        typer.echo(f"wrote {target}, but the tree does not validate (see above)", err=True)
        raise typer.Exit(1)
    typer.echo(f"wrote {target} ({placement.reason})", err=True)


import_app = typer.Typer(
    no_args_is_help=True, help="Bring an existing description in as contracts."
)
app.add_typer(import_app, name="import")


#: The options of the import commands, defined once (``import openapi`` words its
#: own --domain, --into and --force).
Strict = Annotated[bool, typer.Option("--strict", help="Any loss is an error.")]
ModelsDomain = Annotated[str | None, typer.Option("--domain", "-d", help="Domain.")]
ModelsInto = Annotated[Path | None, typer.Option("--into", help="Contracts folder.")]
ForceFiles = Annotated[bool, typer.Option("--force", help="Replace files edited by hand.")]


@import_app.command("openapi")
def import_openapi_command(
    file: Annotated[Path, typer.Argument(help="An OpenAPI 3.0 or 3.1 document (YAML or JSON).")],
    domain: Annotated[
        str | None, typer.Option("--domain", "-d", help="Domain (default: from the file name).")
    ] = None,
    into: Annotated[
        Path | None, typer.Option("--into", help="Contracts folder (default: configured).")
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Only operations with this tag (repeatable).")
    ] = None,
    operation: Annotated[
        list[str] | None,
        typer.Option("--operation", help="Only this operationId (repeatable)."),
    ] = None,
    strict: Strict = False,
    owner: Annotated[
        list[str] | None, typer.Option("--owner", help="meta.owners (repeatable).")
    ] = None,
    stability: Annotated[str, typer.Option("--stability", help="meta.stability.")] = (
        "experimental"
    ),
    auth: Annotated[
        list[str] | None,
        typer.Option("--auth", help="SCHEME=LEVEL: the policy.auth of a security scheme."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace contracts edited by hand.")
    ] = False,
    fmt: DiagnosticsFormat = Format.text,
) -> None:
    """Import an OpenAPI document: one contract per operation, shared models in models.yaml."""
    from contractgen.import_.command import finish
    from contractgen.import_.openapi import ImportOptions, import_openapi

    levels = dict(a.partition("=")[::2] for a in auth or [])
    options = ImportOptions(
        domain, tag or (), operation or (), strict, owner or ("imported",), stability, levels
    )
    target = into if into is not None else _config({}, fmt).contracts
    result = import_openapi(file, options)
    _finish_import(finish(result, file.as_posix(), target, force), target, fmt)


@import_app.command("jsonschema")
def import_jsonschema_command(
    file: Annotated[Path, typer.Argument(help="A JSON Schema file (YAML or JSON).")],
    domain: ModelsDomain = None,
    into: ModelsInto = None,
    strict: Strict = False,
    force: ForceFiles = False,
    fmt: DiagnosticsFormat = Format.text,
) -> None:
    """Import models only, from a JSON Schema file (root and $defs), into models.yaml."""
    from contractgen.import_.command import finish
    from contractgen.import_.models import import_json_schema
    from contractgen.import_.openapi import ImportOptions

    target = into if into is not None else _config({}, fmt).contracts
    result = import_json_schema(file, ImportOptions(domain, strict=strict))
    _finish_import(finish(result, file.as_posix(), target, force), target, fmt)


@import_app.command("pydantic")
def import_pydantic_command(
    model: Annotated[str, typer.Argument(help="module:Model (the module is imported).")],
    domain: ModelsDomain = None,
    into: ModelsInto = None,
    strict: Strict = False,
    force: ForceFiles = False,
    fmt: DiagnosticsFormat = Format.text,
) -> None:
    """Import models only, from a pydantic model and the models it uses, into models.yaml."""
    from contractgen.import_.command import finish
    from contractgen.import_.models import import_pydantic
    from contractgen.import_.openapi import ImportOptions

    target = into if into is not None else _config({}, fmt).contracts
    result = import_pydantic(model, ImportOptions(domain, strict=strict))
    _finish_import(finish(result, model, target, force), target, fmt)


def _finish_import(outcome: ImportOutcome, target: Path, fmt: Format) -> None:
    """Prints an import's diagnostics, summary and refusal; exit 1 when nothing was written."""
    report(outcome.diagnostics, fmt, quiet=True)
    if fmt is Format.text:
        typer.echo(outcome.result.report.summary(), err=True)
    if outcome.refused:
        typer.echo(outcome.refused, nl=False)
        typer.echo("error: contracts edited by hand would change; --force replaces them", err=True)
    if not outcome.ok:
        typer.echo("nothing written", err=True)
        raise typer.Exit(1)
    typer.echo(f"wrote {len(outcome.written)} files into {target.as_posix()}/", err=True)


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Project folder (default: here).")] = Path("."),
    domain: Annotated[
        str, typer.Option("--domain", "-d", help="Domain of the first contract.")
    ] = "example",
    owner: Annotated[str, typer.Option("--owner", help="Owning team.")] = "team.owner",
) -> None:
    """Start a project: [tool.contractgen], one contract, pre-commit and CI (never overwrites)."""
    from contractgen.init import install_command, plan, write
    from contractgen.load import load
    from contractgen.load.resolve import DOMAIN_RE

    if not DOMAIN_RE.match(domain):
        typer.echo(f"error: '{domain}' is not a valid domain name", err=True)
        raise typer.Exit(2)
    root = path.resolve()
    files, conflicts = plan(root, domain, owner)
    if conflicts:
        for reason in conflicts:
            typer.echo(f"error: {reason}", err=True)
        typer.echo("nothing written: init never replaces a file", err=True)
        raise typer.Exit(1)
    write(root, files)
    for f in files:
        typer.echo(f"{'appended to' if f.append else 'wrote'} {f.path}", err=True)
    warning = install_command()[1]
    if warning:
        typer.echo(f"warning: {warning}", err=True)
    result = load(root / "contracts")
    if not result.ok:  # pragma: no cover - the scaffold is tested to validate
        report(result.diagnostics, Format.text)
        raise typer.Exit(1)
    typer.echo("next: contractgen build", err=True)


class DiffFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    github = "github"


@app.command("diff")
def diff_command(
    against: Annotated[
        str,
        typer.Option(
            "--against", metavar="<ref>", help="Base to compare with: a git ref or a folder."
        ),
    ],
    contracts: Annotated[
        Path | None, typer.Option("--contracts", "-c", help="Contracts folder (the new side).")
    ] = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", help="Output format.")] = DiffFormat.text,
) -> None:
    """List contract changes against a base and apply the semver gate (exit 1 on failure)."""
    config = _config({"contracts": str(contracts) if contracts else None})
    code = _run_gate(config, against, fmt.value)
    if code:
        raise typer.Exit(code)


def _run_gate(config: Config, against: str, fmt: str) -> int:
    """Diffs the contracts against a base and prints the report; returns the exit code."""
    from contractgen.diff import Places, compare, gate, load_base, render
    from contractgen.files import caches_allowed
    from contractgen.load import load

    # Diagnostics of a side that does not load, in the report's format where it has one.
    diag_fmt = Format(fmt) if fmt in Format.__members__ else Format.text
    base = load_base(against, config.contracts)
    if not base.ok or base.spec is None:
        report(base.diagnostics, diag_fmt)
        typer.echo(f"error: the base '{against}' does not load; nothing compared", err=True)
        return 2
    now = load(config.contracts, config.cache_dir if caches_allowed() else None)
    if not now.ok or now.spec is None:
        report(now.diagnostics, diag_fmt)
        typer.echo("error: the current contracts do not load; nothing compared", err=True)
        return 1
    result = gate(compare(base.spec, now.spec))
    sys.stdout.write(render(result, fmt, Places(base.displays, now.displays)))
    return 0 if result.ok else 1


class RulesFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command("rules")
def rules_command(
    code: Annotated[
        str | None, typer.Argument(help="A diagnostic code (CG301) or diff rule (field.removed).")
    ] = None,
    fmt: Annotated[RulesFormat, typer.Option("--format", help="Output format.")] = (
        RulesFormat.text
    ),
) -> None:
    """List every diagnostic code and diff rule, or explain one (exit 2 when unknown)."""
    from contractgen.rules.command import run

    status = run(code, fmt.value)
    if status:
        raise typer.Exit(status)


def main() -> None:
    """The console script. It leaves without tearing the interpreter down: freeing a
    loaded spec and its rendered pieces object by object takes longer than a small
    incremental build, and the operating system reclaims it all at once anyway.
    (``contractgen.console``, the installed script, also starts it with the cyclic
    garbage collector off.)"""
    code = 0
    try:
        app()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:  # a message: print it as SystemExit would
            print(exc.code, file=sys.stderr)
            code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            # ``serve --stdio`` hands stdout to the MCP transport, which closes it.
            with contextlib.suppress(ValueError, OSError):
                stream.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
