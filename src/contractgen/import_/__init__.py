"""Import: maps a foreign description (OpenAPI 3.0/3.1) into contract files.

It reports what it cannot carry, located in the foreign file (JSON pointer and
line:col), and never drops anything silently. ``source`` reads the foreign
files safely and follows their ``$ref``s, ``report`` collects what was carried,
approximated and dropped, ``types`` maps JSON Schema to models, enums and
unions, ``openapi`` maps operations, and ``emit`` writes the contract files
(validated before anything is written).
"""

from __future__ import annotations

from contractgen.import_.openapi import ImportOptions, ImportResult, import_openapi

__all__ = ["ImportOptions", "ImportResult", "import_openapi"]
