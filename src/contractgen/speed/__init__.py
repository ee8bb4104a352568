"""Speed machinery, kept behind the build so the pipeline reads the same without it.

Nothing here changes what a build produces: each mechanism only decides how
much of the work is done, where, or when. Their measured gains are written in
``benchmarks/README.md``; one that stops paying its way goes.

- ``cache``: the input key of a build and the record of what it wrote, so an
  unchanged tree is answered without work (the no-op build), before the
  command line is imported, with the output folder scanned on two cores.
- ``incremental``: the state a build leaves so that the next one renders only
  the domains an edit touches.
- ``splice``: the merged documents' texts kept out of that state, taken from
  (or patched into) the files the previous build wrote.
- ``parse_cache``: parse results reused across runs, keyed by file bytes.
- ``parse_parallel`` and ``render_parallel``: loading and rendering a large
  tree on two cores (``forking``: the forked child and its stream of results).
- ``memory``: the cyclic collector paused while large acyclic graphs are built,
  and large objects freed late.
"""

import os

#: Every mechanism here, by the name ``CONTRACTGEN_SPEED_OFF`` turns it off with
#: (a comma-separated list): to measure what each one gains, or to rule one out
#: when a build surprises. Output is byte-identical with any of them off.
MECHANISMS = (
    "build-cache",  # the no-op answer for unchanged inputs
    "quick-noop",  # that answer given before the command line is imported
    "incremental",  # after an edit, render only the domains it touches
    "splice",  # merged files made from the previous file's bytes, not a state of texts
    "parse-cache",  # parse results reused across runs
    "two-cores",  # parse, render, stat contracts and scan the output in a forked child too
    "background",  # the state written (and replaced trees removed) by a detached process
    "stream-patched",  # a patched merged document written as it is made, never held whole
    "stream-merged",  # a merged document of a full build written as it is made, never held whole
    "manifest-patch",  # after an edit, the manifest's changed hashes written over the old
    "in-place",  # after an edit, its files renamed into the folder, not a staging tree swapped in
    "gc-pause",  # the cyclic collector off while large graphs are built
    "late-free",  # large objects left for the process's end instead of freed
    "compiled-templates",  # compiled Jinja templates kept on disk
)


def enabled(mechanism: str) -> bool:
    """Whether a mechanism may run (all do, unless ``CONTRACTGEN_SPEED_OFF`` names it)."""
    assert mechanism in MECHANISMS, mechanism
    off = os.environ.get("CONTRACTGEN_SPEED_OFF", "")
    return not off or mechanism not in {name.strip() for name in off.split(",")}
