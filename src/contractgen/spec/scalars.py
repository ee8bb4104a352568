"""The ContractSpec scalar set and its fixed mapping to every surface."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Scalar:
    name: str
    description: str
    #: JSON Schema of one value (an empty dict means any JSON value).
    json_schema: dict[str, Any]
    #: GraphQL type name; ``graphql_builtin`` says whether GraphQL defines it.
    graphql: str
    graphql_builtin: bool
    #: Python annotation, and the pydantic ``Field`` constraints that go with it.
    python: str
    python_constraints: dict[str, Any] = field(default_factory=dict)
    #: Where a custom GraphQL scalar is specified (``@specifiedBy``).
    specified_by: str | None = None
    #: (module, name) the generated Python imports the annotation from, if any.
    python_import: tuple[str, str] | None = None

    @property
    def value_kind(self) -> str | None:
        """What 1.1 constraints fit the scalar: 'text' (a string held as str), 'number'
        (a JSON number), or None (dates, decimals, UUIDs, bytes, booleans, JSON)."""
        kind = self.json_schema.get("type")
        if kind == "string" and self.python == "str":
            return "text"
        return "number" if kind in ("integer", "number") else None

    @property
    def python_annotation(self) -> str:
        """The annotation as a generated module writes it (its imported name)."""
        return self.python_import[1] if self.python_import else self.python


def _s(
    name: str,
    description: str,
    json_schema: dict[str, Any],
    python: str,
    *,
    graphql: str | None = None,
    constraints: dict[str, Any] | None = None,
    specified_by: str | None = None,
    python_import: tuple[str, str] | None = None,
) -> Scalar:
    return Scalar(
        name=name,
        description=description,
        json_schema=json_schema,
        graphql=graphql or name,
        graphql_builtin=graphql is not None,
        python=python,
        python_constraints=constraints or {},
        specified_by=specified_by,
        python_import=python_import,
    )


def _patterned(
    name: str, description: str, pattern: str, *, specified_by: str | None = None
) -> Scalar:
    """A string scalar defined by a pattern: in JSON Schema and as a Python constraint."""
    return _s(
        name,
        description,
        {"type": "string", "pattern": pattern},
        "str",
        constraints={"pattern": pattern},
        specified_by=specified_by,
    )


def _ranged(name: str, description: str, low: int, high: int) -> Scalar:
    """A number scalar between two bounds: in JSON Schema and as Python constraints."""
    return _s(
        name,
        description,
        {"type": "number", "minimum": low, "maximum": high},
        "float",
        constraints={"ge": low, "le": high},
    )


TIME_PATTERN = r"^\d{2}:\d{2}(:\d{2})?$"
PHONE_PATTERN = r"^[+]?\d[\d\s().-]{3,}$"
LOCALE_PATTERN = r"^[A-Za-z]{2}(?:-[A-Za-z0-9]{2,8})*$"
TIMEZONE_PATTERN = r"^(?:UTC|[A-Za-z_]+/[A-Za-z_]+)$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
#: A decimal number as text: optional minus, digits, optional fraction.
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
#: Standard base64 with padding (RFC 4648, section 4).
BASE64_PATTERN = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"

SCALARS: dict[str, Scalar] = {
    s.name: s
    for s in (
        _s("String_unsecure", "Any text.", {"type": "string"}, "str", graphql="String"),
        _s("Int_unsecure", "A whole number.", {"type": "integer"}, "int", graphql="Int"),
        _s(
            "Float_unsecure",
            "A floating-point number.",
            {"type": "number"},
            "float",
            graphql="Float",
        ),
        _s("Boolean", "True or false.", {"type": "boolean"}, "bool", graphql="Boolean"),
        _s("ID", "An opaque identifier.", {"type": "string"}, "str", graphql="ID"),
        _s(
            "JSON",
            "Any JSON value.",
            {},
            "Any",
            specified_by="https://www.rfc-editor.org/rfc/rfc8259",
        ),
        _s(
            "JSONObject",
            "A JSON object.",
            {"type": "object"},
            "dict[str, Any]",
            specified_by="https://www.rfc-editor.org/rfc/rfc8259#section-4",
        ),
        _s(
            "Date",
            "A calendar date (RFC 3339 full-date).",
            {"type": "string", "format": "date"},
            "datetime.date",
            specified_by="https://www.rfc-editor.org/rfc/rfc3339#section-5.6",
            python_import=("datetime", "date"),
        ),
        _s(
            "DateTime",
            "A date and time with offset (RFC 3339 date-time).",
            {"type": "string", "format": "date-time"},
            "datetime.datetime",
            specified_by="https://www.rfc-editor.org/rfc/rfc3339#section-5.6",
            python_import=("datetime", "datetime"),
        ),
        _patterned("Time", "A time of day, HH:MM or HH:MM:SS.", TIME_PATTERN),
        _s(
            "EmailAddress",
            "An e-mail address.",
            {"type": "string", "format": "email"},
            "str",
            constraints={"pattern": r"^[^@\s]+@[^@\s]+$"},
            specified_by="https://www.rfc-editor.org/rfc/rfc5322#section-3.4.1",
        ),
        _s(
            "URL",
            "An absolute URL.",
            {"type": "string", "format": "uri"},
            "str",
            constraints={"pattern": r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$"},
            specified_by="https://www.rfc-editor.org/rfc/rfc3986",
        ),
        _patterned("PhoneNumber", "A telephone number.", PHONE_PATTERN),
        _s(
            "NonEmptyString",
            "Text of at least one character.",
            {"type": "string", "minLength": 1},
            "str",
            constraints={"min_length": 1},
        ),
        _patterned(
            "Locale",
            "A BCP 47 language tag.",
            LOCALE_PATTERN,
            specified_by="https://www.rfc-editor.org/rfc/rfc5646",
        ),
        _patterned(
            "TimeZone",
            "An IANA time zone name, or UTC.",
            TIMEZONE_PATTERN,
            specified_by="https://www.iana.org/time-zones",
        ),
        _ranged("Latitude", "A latitude in degrees.", -90, 90),
        _ranged("Longitude", "A longitude in degrees.", -180, 180),
        _patterned(
            "Currency",
            "An ISO 4217 currency code.",
            CURRENCY_PATTERN,
            specified_by="https://www.iso.org/iso-4217-currency-codes.html",
        ),
        _patterned(
            "CountryCode",
            "An ISO 3166-1 alpha-2 country code.",
            COUNTRY_PATTERN,
            specified_by="https://www.iso.org/iso-3166-country-codes.html",
        ),
        # Version 1.1
        _s(
            "Int64",
            "A whole number that fits in 64 bits.",
            {"type": "integer", "format": "int64"},
            "int",
        ),
        _s(
            "Decimal",
            'An exact decimal number, written as a string (e.g. "12.50").',
            # The pattern is the text Python's Decimal reads back (no exponent, no spaces).
            {"type": "string", "format": "decimal", "pattern": DECIMAL_PATTERN},
            "decimal.Decimal",
            python_import=("decimal", "Decimal"),
        ),
        _s(
            "UUID",
            "A UUID in its hyphenated text form.",
            {"type": "string", "format": "uuid"},
            "uuid.UUID",
            specified_by="https://www.rfc-editor.org/rfc/rfc9562",
            python_import=("uuid", "UUID"),
        ),
        _s(
            "Bytes",
            "Binary data, base64-encoded on the wire.",
            {"type": "string", "contentEncoding": "base64", "pattern": BASE64_PATTERN},
            "bytes",
            specified_by="https://www.rfc-editor.org/rfc/rfc4648#section-4",
            python_import=("pydantic", "Base64Bytes"),
        ),
    )
}

#: Short spellings accepted for the ``_unsecure`` scalars.
#: Scalars whose value is not one plain text value (a REST parameter carries them as JSON;
#: a header cannot carry them).
STRUCTURED_SCALARS = frozenset({"JSON", "JSONObject"})

SCALAR_ALIASES: dict[str, str] = {
    "String": "String_unsecure",
    "Int": "Int_unsecure",
    "Float": "Float_unsecure",
}


def canonical_scalar(name: str) -> str | None:
    """The canonical scalar name for a written one, or None if it is no scalar."""
    name = SCALAR_ALIASES.get(name, name)
    return name if name in SCALARS else None
