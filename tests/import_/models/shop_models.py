"""Pydantic models for the models-only import test."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, Field


class Size(str, Enum):
    small = "small"
    large = "large"


class Item(BaseModel):
    """One item of a basket."""

    sku: str = Field(max_length=32)
    quantity: int = Field(ge=1, default=1)
    size: Size | None = None


class Basket(BaseModel):
    """What a customer is about to buy."""

    owner: str
    items: list[Item]
