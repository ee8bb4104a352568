"""One build (or check) of the configured surfaces: load, render, verify, write.

The command line calls this and prints the outcome; ``watch`` calls it after
every change. Nothing here prints.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from contractgen.config import Config
from contractgen.diagnostics import Diagnostic
from contractgen.spec import Spec
from contractgen.speed.cache import BuildCache, Target, is_fresh
from contractgen.speed.forking import in_background, in_two
from contractgen.speed.memory import collector_paused, keep_until_next, release
from contractgen.speed.render_parallel import split_surfaces
from contractgen.surfaces import Options, OutputFile, Tracked, render_tracked
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


def remember(
    target: Target | None,
    hashes: dict[str, str],
    stats: dict[str, tuple[int, int]] | None = None,
) -> None:
    """Records in the build cache which files (by hash) these inputs produced; stats,
    the files' sizes and times, when known without scanning the folder."""
    if target is not None and hashes:
        BuildCache(target.base, target.output).store(target.key, hashes, stats)


def _rejected(config: Config, files: list[OutputFile]) -> Outcome | None:
    """With user templates: the failure when an output fails its real consumer."""
    if config.templates is None:
        return None
    from contractgen.surfaces.verify import verify

    rejected = verify(files, config.templates)
    return Outcome(ok=False, diagnostics=rejected, files=files) if rejected else None


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
    (cache_checked says the caller already found they are not), and an edit
    renders only the domains it touches (``contractgen.speed.incremental``).
    """
    if use_cache and not cache_checked and is_fresh(target, check):
        return Outcome(unchanged=True)
    from contractgen.surfaces.jinja import keep_compiled_templates

    keep_compiled_templates(config.cache_dir / "templates" if use_cache else None)
    release("build")
    with collector_paused():
        if use_cache and target is not None and not check:
            outcome = _run_incremental(config, target, step)
            if outcome is not None:
                return outcome
        return _run(config, target, check=check, use_cache=use_cache, step=step)


def _run_incremental(config: Config, target: Target, step: Callable[[str], None]) -> Outcome | None:
    """An incremental build, or None when only a full build can be trusted."""
    import jinja2

    from contractgen.load import load
    from contractgen.speed import incremental
    from contractgen.surfaces import render_tracked, template_diagnostic
    from contractgen.write import UnsafePath

    plan = incremental.plan(target)
    if plan is None:
        return None
    step(f"loading {len(plan.files)} contract files of {len(plan.domains)} domains")
    # A few files: parsing them costs less than reading the whole parse cache.
    result = load(config.contracts, only=plan.files)
    if not result.ok or result.spec is None:
        return None  # a full build reports every problem of the tree
    spec = result.spec
    surfaces = config.settings.surfaces
    options = Options.from_config(config)
    if not incremental.still_valid(plan, spec, options, surfaces):
        return None
    step(f"rendering {len(plan.domains)} domains")
    try:
        tracked = render_tracked(
            spec, options, surfaces, only=sorted(plan.domains), previous=plan.state["surfaces"]
        )
    except jinja2.TemplateError as exc:
        return Outcome(ok=False, diagnostics=[template_diagnostic(exc)])
    files = tracked.files
    rejected = _rejected(config, files)
    if rejected is not None:
        return rejected
    carried = incremental.carried_over(plan)
    step(f"writing {len(files)} files")
    try:
        outputs = plan.state["outputs"]  # the folder as the last build left it (checked)
        with Staging(config.output, live=plan.live) as staging:
            known = {path: entry[0] for path, entry in outputs.items()}
            placed = staging.keep(carried) + staging.place(files, known)
            changes = staging.finish(placed, owned=outputs)
    except UnsafePath as exc:
        return Outcome(ok=False, files=files, error=str(exc))
    remember(target, changes.hashes, staging.stats(changes.hashes))
    _save_state(target, spec, tracked, changes.hashes, plan.state)
    keep_until_next("build", plan, spec, tracked)
    return Outcome(files=files, changes=changes, count=len(placed))


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
    from contractgen.speed.render_parallel import render_split, worth_forking
    from contractgen.surfaces import template_diagnostic
    from contractgen.write import UnsafePath, compare, write

    step("loading contracts")
    result = load(config.contracts, config.cache_dir if use_cache else None, background=True)
    if not result.ok or result.spec is None:
        return Outcome(ok=False, diagnostics=result.diagnostics)
    spec = result.spec
    keep_until_next("build", spec)
    surfaces = config.settings.surfaces
    step(f"rendering {', '.join(surfaces)} ({len(spec.operations)} operations)")
    options = Options.from_config(config)
    # The state an incremental build starts from is kept only where caches are.
    keep_state = use_cache and target is not None and not check
    try:
        if not check and config.templates is None and worth_forking(spec, surfaces, True):
            # Large tree: each process renders half the surfaces and places its
            # own files into the staging tree; only paths and hashes come back.
            changes, count, tracked = _render_and_write_in_two(
                spec, options, surfaces, config, keep_state
            )
            remember(target, changes.hashes)
            keep_until_next("build", spec, tracked)
            if keep_state and target is not None and tracked is not None:
                _save_state(target, spec, tracked, changes.hashes)
            return Outcome(changes=changes, count=count)
        # A check, or user templates (checked before anything is placed): render
        # on two cores when the tree is large, then compare or write here.
        tracked = render_split(spec, options, surfaces, True, with_state=keep_state)
        keep_until_next("build", spec, tracked)
        files = sorted(tracked.files, key=lambda f: f.path)
    except jinja2.TemplateError as exc:
        return Outcome(ok=False, diagnostics=[template_diagnostic(exc)])
    except UnsafePath as exc:
        return Outcome(ok=False, error=str(exc))
    rejected = _rejected(config, files)
    if rejected is not None:
        return rejected
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
    if keep_state and target is not None:
        _save_state(target, spec, tracked, changes.hashes)
    return Outcome(files=files, changes=changes, count=len(files))


def _save_state(
    target: Target,
    spec: Spec,
    tracked: Tracked,
    hashes: dict[str, str],
    previous: dict[str, Any] | None = None,
) -> None:
    """Writes the state for the next incremental build from a detached process, so
    the build does not wait for it. A build that starts before it is written
    finds the previous state, whose key no longer matches, and builds in full."""
    from contractgen.speed import incremental

    def work() -> None:
        incremental.save_state(target, spec, tracked, hashes, previous)

    if not in_background(work):
        work()


def _render_and_write_in_two(
    spec: Spec, options: Options, surfaces: list[str], config: Config, keep_state: bool
) -> tuple[Changes, int, Tracked | None]:
    here, there = split_surfaces(surfaces)
    with Staging(config.output) as staging:

        def work(group: list[str]) -> tuple[list[Placed], Tracked]:
            tracked = render_tracked(spec, options, group)
            return staging.place(tracked.files), tracked

        def remote() -> Any:
            placed, tracked = work(there)
            wire = [p.wire() for p in placed]
            if not keep_state:
                return wire, None
            # Only what the state needs of the files: their sources and owners.
            files = [(f.path, f.sources) for f in tracked.files]
            return wire, (files, tracked.owners, tracked.surfaces)

        (mine, mine_tracked), answer = in_two(lambda: work(here), remote)
        theirs_answer: Any = answer
        theirs: list[Placed] | None = None
        theirs_tracked: Tracked | None = None
        with contextlib.suppress(ValueError, TypeError):
            wire, extra = theirs_answer
            theirs = [Placed.from_wire(item) for item in wire]
            if extra is not None:
                files, owners, states = extra
                theirs_tracked = Tracked(
                    [OutputFile(path, "", tuple(sources)) for path, sources in files],
                    owners,
                    states,
                )
        if theirs is None:  # the child failed: do its half here (errors surface here)
            theirs, theirs_tracked = work(there)
        placed = mine + theirs
        tracked: Tracked | None = None
        if keep_state and theirs_tracked is not None:
            tracked = mine_tracked
            tracked.add(theirs_tracked)
        return staging.finish(placed), len(placed), tracked
