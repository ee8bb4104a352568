"""Did-you-mean hints: what was meant before what is spelt alike."""

from __future__ import annotations

from contractgen.diagnostics import did_you_mean, meant_name
from contractgen.spec.vocabulary import TYPE_SUFFIXES

MODELS = ["OrderPage", "OrderPlacedPayload", "PlaceOrderInput", "PlaceOrders", "Order"]


def test_a_name_without_its_usual_suffix_gets_it() -> None:
    assert meant_name("OrderPlaced", MODELS, TYPE_SUFFIXES["payload"]) == "OrderPlacedPayload"
    assert meant_name("PlaceOrder", MODELS, TYPE_SUFFIXES["io.input"]) == "PlaceOrderInput"


def test_a_name_with_another_suffix_gets_the_right_one() -> None:
    assert meant_name("OrderPlacedEvent", MODELS, TYPE_SUFFIXES["payload"]) == (
        "OrderPlacedPayload"
    )


def test_the_place_decides_which_suffix_comes_first() -> None:
    pool = ["ThingInput", "ThingOutput"]
    assert meant_name("Thing", pool, TYPE_SUFFIXES["io.input"]) == "ThingInput"
    assert meant_name("Thing", pool, TYPE_SUFFIXES["io.output"]) == "ThingOutput"


def test_case_then_spelling() -> None:
    assert did_you_mean("string", ["String", "Strings"]) == "did you mean 'String'?"
    assert did_you_mean("Ordr", MODELS) == "did you mean 'Order'?"
    assert did_you_mean("Zebra", MODELS) is None


def test_without_suffixes_only_spelling_counts() -> None:
    assert meant_name("OrderPlaced", ["OrderPage", "OrderPlacedPayload"]) == "OrderPage"
