"""One build (or check) of the configured surfaces: load, render, verify, write.

There is one path. A build loads the contracts, renders the surfaces, checks
what user templates made with its real consumer, and places every file into
a staging tree that is swapped in whole (a check compares each file with the
folder instead, and writes nothing). What ``contractgen.speed`` adds only
narrows or schedules that work: an unchanged tree is answered at once; after
an edit, the incremental state names the domains to load and render, and
every other file is carried over; a large tree is rendered on two cores. When
what the state assumed no longer holds, the same path runs over the whole tree.

The command line calls this and prints the outcome; ``watch`` calls it after
every change. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from contractgen.config import Config
from contractgen.diagnostics import Diagnostic, Level
from contractgen.spec import Spec
from contractgen.speed import enabled, incremental, splice
from contractgen.speed.cache import BuildCache, Target, is_fresh
from contractgen.speed.forking import done, later
from contractgen.speed.incremental import Plan
from contractgen.speed.memory import collector_paused, keep_until_next, release
from contractgen.speed.render_parallel import in_groups
from contractgen.surfaces import Options, OutputFile, Tracked, render_tracked
from contractgen.write import Changes, Comparison, InPlace, Placed, Staging

Step = Callable[[str], None]


@dataclass
class Outcome:
    """What a build did. ``ok`` is false on contract, template or path errors, and
    for a check that found the output folder not current."""

    ok: bool = True
    #: The cache showed these inputs were already built and nothing was touched.
    unchanged: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: A check's files that differ from the folder's (what ``--diff`` shows).
    files: list[OutputFile] = field(default_factory=list)
    changes: Changes | None = None
    #: A refused output path (a template that tries to write outside the folder).
    error: str | None = None
    #: How many files the build produced.
    count: int = 0


def run(
    config: Config,
    target: Target | None,
    *,
    check: bool,
    use_cache: bool = True,
    cache_checked: bool = False,
    step: Step = lambda _: None,
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
    release("build-records")
    keep_state = use_cache and target is not None and not check
    with collector_paused():
        # (A check trusts only hashes: it never carries files over unread.)
        plan = incremental.plan(target) if keep_state and target is not None else None
        outcome = _build(config, target, check, use_cache, step, plan) if plan else None
        if outcome is None and plan is not None and plan.staged:
            # (its files could not be renamed in: the same plan, through a staging tree)
            outcome = _build(config, target, check, use_cache, step, plan)
        if outcome is None:
            if plan is not None:
                plan.close()  # (its state file may be replaced now, even on Windows)
            outcome = _build(config, target, check, use_cache, step, None)
        assert outcome is not None  # (only a plan can fail to hold)
        # The plan's state and the outcome's records are as large as the tree: left
        # for the process's end (or the next build) rather than freed one by one.
        keep_until_next("build-records", plan, outcome)
    done()  # (the state, then the replaced trees and files, from one detached process)
    return outcome


def _build(
    config: Config,
    target: Target | None,
    check: bool,
    use_cache: bool,
    step: Step,
    plan: Plan | None,
) -> Outcome | None:
    """The build of the whole tree, or with a plan of the domains it names; None
    when the plan's assumptions do not hold (the caller builds the whole tree)."""
    import jinja2

    from contractgen.speed.splice import SpliceFailed
    from contractgen.surfaces import template_diagnostic
    from contractgen.write import FolderChanged, NotInPlace, UnsafePath

    loaded = _load(config, use_cache, plan, step)
    if isinstance(loaded, list):
        return None if plan is not None else Outcome(ok=False, diagnostics=loaded)
    spec = loaded
    keep_until_next("build", spec)
    options = Options.from_config(config)
    surfaces = config.settings.surfaces
    if plan is not None and not incremental.still_valid(plan, spec, options, surfaces):
        return None
    step(f"rendering {', '.join(surfaces)} ({len(spec.operations)} operations)")
    sink = _sink(config, check, plan)
    try:
        with sink:
            placed, tracked, extra = _render_into(sink, spec, options, surfaces, config, plan)
            if extra.rejected:
                return Outcome(ok=False, diagnostics=extra.rejected)
            step(f"{'comparing' if check else 'writing'} {len(placed)} files")
            if plan is not None and not plan.holds():  # (the folder is not as it was)
                return None
            changes, carried = _finish(sink, placed, plan)
    except jinja2.TemplateError as exc:
        return Outcome(ok=False, diagnostics=[template_diagnostic(exc)])
    except (SpliceFailed, FolderChanged):
        # (only a plan names places in earlier files, or trusts a scan the folder overtook)
        return None
    except NotInPlace:
        assert plan is not None
        plan.staged = True
        return None
    except UnsafePath as exc:
        return Outcome(ok=False, error=str(exc))
    # (The placed files' records and the staging tree's are as large as the tree too.)
    keep_until_next("build", spec, tracked, placed, carried, sink)
    patched = _remember(target, check, changes, sink)
    if use_cache and target is not None and not check:
        _save_state(target, spec, tracked, placed, changes, plan, patched)
    count = plan.made if isinstance(sink, InPlace) and plan else len(changes.hashes)
    return Outcome(
        ok=changes.exact or not check, files=extra.differing, changes=changes, count=count
    )


def _finish(
    sink: Staging | InPlace | Comparison, placed: list[Placed], plan: Plan | None
) -> tuple[Changes, list[Placed]]:
    """Completes the sink; a staging tree with a plan (only ever a build's) carries the
    other domains' files over first. Returns the changes and the files carried."""
    if plan is None or not isinstance(sink, Staging):
        return sink.finish(placed), []
    carried = sink.keep(incremental.carried_over(plan))
    return sink.finish(placed + carried, incremental.earlier(plan)), carried


def _sink(config: Config, check: bool, plan: Plan | None) -> Staging | InPlace | Comparison:
    """Where files go: compared with the folder (a check); after an edit, renamed into
    it, unless that was found not to hold (``InPlace``); else a staging tree."""
    if check:
        return Comparison(config.output)
    if plan is not None and not plan.staged and enabled("in-place"):
        return InPlace(config.output, *incremental.made_again(plan))
    return Staging(config.output, plan.live if plan else None)


def _load(
    config: Config, use_cache: bool, plan: Plan | None, step: Step
) -> Spec | list[Diagnostic]:
    """The spec (of the plan's files, or of the whole tree), or the load's diagnostics."""
    from contractgen.load import load

    if plan is None:
        step("loading contracts")
        cache_dir = config.cache_dir if use_cache else None
        result = load(config.contracts, cache_dir)
    else:
        step(f"loading {len(plan.files)} contract files of {len(plan.domains)} domains")
        # A few files: parsing them costs less than reading the whole parse cache.
        result = load(config.contracts, only=plan.files)
    if not result.ok or result.spec is None:
        return result.diagnostics
    return result.spec


@dataclass
class _Extra:
    """Besides the placed files: what the consumers of user templates refused, and
    the files a check found different."""

    rejected: list[Diagnostic] = field(default_factory=list)
    differing: list[OutputFile] = field(default_factory=list)


def _render_into(
    sink: Staging | InPlace | Comparison,
    spec: Spec,
    options: Options,
    surfaces: list[str],
    config: Config,
    plan: Plan | None,
) -> tuple[list[Placed], Tracked, _Extra]:
    """Renders the surfaces (of the plan's domains only, with a plan) and places
    each batch of files into the sink as it comes; on a large tree, a forked
    child does the same for half of the surfaces (``speed.render_parallel``)."""
    only = sorted(plan.domains) if plan is not None else None
    previous = plan.state["surfaces"] if plan is not None else None
    known = plan.hashes if plan is not None and isinstance(sink, Staging) else None
    stand_in = splice.stand_in if splice.wanted(config, sink) else None

    def work(group: list[str]) -> Any:
        placed: list[Placed] = []
        rejected: list[Diagnostic] = []
        seen = len(sink.differing) if isinstance(sink, Comparison) else 0

        def emit(files: list[OutputFile]) -> None:
            if config.templates is not None:  # checked before anything is placed
                rejected.extend(_rejected(config, files))
            if not rejected:
                placed.extend(sink.place(files, known))

        tracked = render_tracked(spec, options, group, only, previous, emit, stand_in)
        differing = sink.differing[seen:] if isinstance(sink, Comparison) else []
        return _wire(placed, tracked, rejected, differing)

    items = len(spec.operations) + len(spec.events)
    results = [_unwire(result) for result in in_groups(surfaces, items, work)]
    placed = [p for result in results for p in result[0]]
    tracked = Tracked()
    extra = _Extra()
    for _, part, rejected, differing in results:
        tracked.add(part)
        extra.rejected += rejected
        extra.differing += differing
    return placed, tracked, extra


def _wire(
    placed: list[Placed], tracked: Tracked, rejected: list[Diagnostic], differing: list[OutputFile]
) -> Any:
    """A group's result as plain data, to cross from a forked child."""
    return (
        [p.wire() for p in placed],
        (tracked.owners, tracked.surfaces),
        [_diagnostic_wire(d) for d in rejected],
        [(f.path, f.content, f.sources) for f in differing],
    )


def _unwire(data: Any) -> tuple[list[Placed], Tracked, list[Diagnostic], list[OutputFile]]:
    placed, (owners, states), rejected, differing = data
    return (
        [Placed.from_wire(item) for item in placed],
        Tracked([], owners, states),
        [Diagnostic(Level(level), *rest) for level, *rest in rejected],
        [OutputFile(path, content, tuple(sources)) for path, content, sources in differing],
    )


def _diagnostic_wire(d: Diagnostic) -> tuple[Any, ...]:
    return (d.level.value, d.code, d.message, d.file, d.line, d.col, d.hint, d.related)


def _rejected(config: Config, files: list[OutputFile]) -> list[Diagnostic]:
    """With user templates: the files' problems, as their real consumers see them."""
    from contractgen.surfaces.verify import verify

    assert config.templates is not None
    return verify(files, config.templates)


def _remember(
    target: Target | None, check: bool, changes: Changes, sink: Staging | InPlace | Comparison
) -> Callable[[], None] | None:
    """Records in the build cache which files (by hash) these inputs produced, so the
    next build of the same inputs does nothing (a check only when it found them exact).
    After an edit renamed its files in, returns what patches the record instead: the
    state's detached process runs it (``_save_state``)."""
    if target is None or (check and not changes.exact):
        return None
    cache = BuildCache(target.base, target.output)
    if isinstance(sink, InPlace):
        renamed = sink.stats(changes.hashes)
        return lambda: cache.patch(target.key, changes.manifest, changes.hashes, renamed)
    if changes.hashes:
        stats = None if isinstance(sink, Comparison) else sink.stats(changes.hashes)
        cache.store(target.key, changes.hashes, stats, changes.manifest)
    return None


def _save_state(
    target: Target,
    spec: Spec,
    tracked: Tracked,
    placed: list[Placed],
    changes: Changes,
    plan: Plan | None,
    patched: Callable[[], None] | None = None,
) -> None:
    """Writes the state for the next incremental build from a detached process, so
    the build does not wait for it (after an edit renamed its files in, the build
    record too: patched). That process holds the build lock while it writes, and
    the next build waits for the lock before it reads either: a build that starts
    a moment later (an edit saved again, a script) uses the new ones instead of
    building in full."""
    from contractgen.portable import build_lock
    from contractgen.speed import incremental

    def work() -> None:
        with build_lock(target.output):
            if patched is not None:
                patched()
            incremental.save_state(target, spec, tracked, placed, changes.manifest, plan)

    later(work, first=True)  # (before removing replaced trees: see run)
