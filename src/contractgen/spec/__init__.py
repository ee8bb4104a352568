"""The spec model: operations, events, models, enums and scalars."""

from contractgen.spec.model import (
    AUTH_ORDER,
    STABILITY_ORDER,
    EnumType,
    EnumValue,
    ErrorDef,
    Event,
    Example,
    Field,
    Loc,
    Meta,
    Model,
    Operation,
    Policy,
    Spec,
    Transport,
    TypeRef,
)
from contractgen.spec.scalars import SCALARS, Scalar, canonical_scalar

__all__ = [
    "AUTH_ORDER",
    "SCALARS",
    "STABILITY_ORDER",
    "EnumType",
    "EnumValue",
    "ErrorDef",
    "Event",
    "Example",
    "Field",
    "Loc",
    "Meta",
    "Model",
    "Operation",
    "Policy",
    "Scalar",
    "Spec",
    "Transport",
    "TypeRef",
    "canonical_scalar",
]
