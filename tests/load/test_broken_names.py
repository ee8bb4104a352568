"""What a file that does not parse still tells (load.broken)."""

from __future__ import annotations

from contractgen.load.broken import names_in_text

TEXT = """\
kind: event
meta:
  key: "order.placed
  version: "1.0.0"
payload: OrderPlacedPayload
models:
  OrderPlacedPayload:
    fields:
      id: {type: ID}
      Nested: {type: ID}
  # Commented: {}
  Money:
    fields: {cents: {type: Int}}
enums:
  'Color':
    values: [RED]
policy:
  NotAType: 1
"""


def test_names_and_event_key_are_read_from_a_broken_file() -> None:
    names, event = names_in_text(TEXT)
    assert names == {"OrderPlacedPayload", "Money", "Color"}
    assert event == "order.placed"


def test_an_operation_names_no_event() -> None:
    names, events = names_in_text("kind: command\nmeta:\n  key: order.place\n")
    assert (names, events) == (set(), None)


def test_an_event_whose_key_cannot_be_read() -> None:
    assert names_in_text("kind: event\nmeta: [\n") == (set(), "")
