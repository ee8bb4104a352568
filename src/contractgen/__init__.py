"""contractgen: contract-first code generation."""

__version__ = "0.1.0"
