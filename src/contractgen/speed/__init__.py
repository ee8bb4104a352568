"""Speed machinery, kept behind the build so the pipeline reads the same without it.

Nothing here changes what a build produces: each mechanism only decides how
much of the work is done, where, or when. Their measured gains are written in
``benchmarks/README.md``; one that stops paying its way goes.

- ``cache``: the input key of a build and the record of what it wrote, so an
  unchanged tree is answered without work (the no-op build).
- ``incremental``: the state a build leaves so that the next one renders only
  the domains an edit touches.
- ``parse_cache``: parse results reused across runs, keyed by file bytes.
- ``parse_parallel`` and ``render_parallel``: loading and rendering a large
  tree on two cores (``forking``: the forked child and its stream of results).
- ``memory``: the cyclic collector paused while large acyclic graphs are built,
  and large objects freed late.
"""
