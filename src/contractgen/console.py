"""The console script's entry point.

It turns the cyclic garbage collector off before anything is imported: a
command is a short-lived process, and the collector would only walk the
freshly imported modules and the loaded spec again and again (about a tenth
of a second of a small incremental build). ``watch``, which lives on, turns
it back on.
"""

from __future__ import annotations

import gc
import os
import sys


def main() -> None:
    from contractgen.speed import enabled

    if enabled("gc-pause"):
        gc.disable()
    from contractgen.speed.cache import quick_noop

    if quick_noop(sys.argv[1:]):
        sys.stderr.flush()
        os._exit(0)  # (as the command line leaves: see contractgen.cli.main)
    from contractgen.cli import main as run

    run()
