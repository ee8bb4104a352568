"""The runtime tests import the generated packages (``generated/python``) and the
examples: ``support`` puts both on the import path before any test module loads."""

from . import support

__all__ = ["support"]
