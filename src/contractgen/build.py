"""One build (or check) of the configured surfaces: load, render, verify, write.

The command line calls this and prints the outcome; ``watch`` calls it after
every change. Nothing here prints.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field

from contractgen.cache import BuildCache, Target, is_fresh
from contractgen.config import Config
from contractgen.diagnostics import Diagnostic
from contractgen.forking import in_two
from contractgen.memory import collector_paused
from contractgen.spec import Spec
from contractgen.surfaces import Options, OutputFile, render_serial
from contractgen.surfaces.parallel import split_surfaces
from contractgen.write import Changes, Placed, Staging, digest


@dataclass
class Outcome:
    """What a build did. ``ok`` is false on contract, template or path errors, and
    for a check that found the output folder not current."""

    ok: bool = True
    #: The cache showed these inputs were already built and nothing was touched.
    unchanged: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[OutputFile] = field(default_factory=list)
    changes: Changes | None = None
    #: A refused output path (a template that tries to write outside the folder).
    error: str | None = None
    #: How many files the build produced (``files`` may be empty when another
    #: process rendered and wrote part of them).
    count: int = 0


def remember(target: Target | None, hashes: dict[str, str]) -> None:
    """Records in the build cache which files (by hash) these inputs produced."""
    if target is not None and hashes:
        BuildCache(target.base, target.output).store(target.key, hashes)


def run(
    config: Config,
    target: Target | None,
    *,
    check: bool,
    use_cache: bool = True,
    cache_checked: bool = False,
    step: Callable[[str], None] = lambda _: None,
) -> Outcome:
    """Builds (or, with check, compares) the output folder; step() hears each phase.

    With use_cache, unchanged inputs whose output is intact mean no work
    (cache_checked says the caller already found they are not).
    """
    if use_cache and not cache_checked and is_fresh(target, check):
        return Outcome(unchanged=True)
    with collector_paused():
        return _run(config, target, check=check, use_cache=use_cache, step=step)


def _run(
    config: Config,
    target: Target | None,
    *,
    check: bool,
    use_cache: bool,
    step: Callable[[str], None],
) -> Outcome:
    import jinja2

    from contractgen.load import load
    from contractgen.surfaces import render_all, template_diagnostic
    from contractgen.surfaces.parallel import worth_forking
    from contractgen.write import UnsafePath, compare, write

    step("loading contracts")
    result = load(config.contracts, config.cache_dir if use_cache else None, background=True)
    if not result.ok or result.spec is None:
        return Outcome(ok=False, diagnostics=result.diagnostics)
    surfaces = config.settings.surfaces
    step(f"rendering {', '.join(surfaces)} ({len(result.spec.operations)} operations)")
    options = Options.from_config(config)
    try:
        if not check and config.templates is None and worth_forking(result.spec, surfaces, True):
            # Large tree: each process renders half the surfaces and places its
            # own files into the staging tree; only paths and hashes come back.
            changes, count = _render_and_write_in_two(result.spec, options, surfaces, config)
            remember(target, changes.hashes)
            return Outcome(changes=changes, count=count)
        files = render_all(result.spec, options, surfaces)
    except jinja2.TemplateError as exc:
        return Outcome(ok=False, diagnostics=[template_diagnostic(exc)])
    except UnsafePath as exc:
        return Outcome(ok=False, error=str(exc))
    if config.templates is not None:
        from contractgen.surfaces.verify import verify

        rejected = verify(files, config.templates)
        if rejected:
            return Outcome(ok=False, diagnostics=rejected, files=files)
    step(f"{'comparing' if check else 'writing'} {len(files)} files")
    try:
        if check:
            changes = compare(config.output, files)
            if changes.exact:
                remember(target, {f.path: digest(f.content) for f in files})
            return Outcome(ok=changes.exact, files=files, changes=changes, count=len(files))
        changes = write(config.output, files)
    except UnsafePath as exc:
        return Outcome(ok=False, files=files, error=str(exc))
    remember(target, changes.hashes)
    return Outcome(files=files, changes=changes, count=len(files))


def _render_and_write_in_two(
    spec: Spec, options: Options, surfaces: list[str], config: Config
) -> tuple[Changes, int]:
    here, there = split_surfaces(surfaces)
    with Staging(config.output) as staging:

        def work(group: list[str]) -> list[Placed]:
            return staging.place(render_serial(spec, options, group))

        mine, wire = in_two(
            lambda: work(here),
            lambda: [(p.path, p.sha256, p.status, p.sources) for p in work(there)],
        )
        theirs: list[Placed] | None = None
        if isinstance(wire, list):
            with contextlib.suppress(ValueError, TypeError):
                theirs = [Placed(a, b, c, tuple(d)) for a, b, c, d in wire]
        if theirs is None:  # the child failed: do its half here (errors surface here)
            theirs = work(there)
        placed = mine + theirs
        return staging.finish(placed), len(placed)
