"""The change-pair corpus: a small base tree and one edit per case.

Each case is written to tests/diff/cases/<name>/ as old/ and new/ contract trees
plus expected.json. Regenerate after editing this file:

    /work/venv/bin/python tests/diff/corpus.py

Expectations are written by hand here, never captured from the differ.
Each expectation is (rule code, text the subject contains, verdicts per surface);
``gate`` is ``ok`` (no errors, no warnings), ``warn`` (warnings only) or ``fail``.
"""

from __future__ import annotations

import copy
import json
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CASES_DIR = Path(__file__).parent / "cases"

Tree = dict[str, dict[str, Any]]


def _meta(key: str, stability: str = "stable", version: str = "1.0.0") -> dict[str, Any]:
    return {
        "key": key,
        "version": version,
        "description": f"The {key} contract.",
        "goal": f"Goal of {key}.",
        "context": f"Context of {key}.",
        "stability": stability,
        "owners": ["team.shop"],
    }


def base_tree() -> Tree:
    """A small shop domain: two stable operations, a beta one, a stable event."""
    return {
        "shop/models.yaml": {
            "kind": "models",
            "enums": {
                "Color": {"description": "A colour.", "values": ["RED", "GREEN"]},
                "Status": {"description": "Output only.", "values": ["ACTIVE", "ARCHIVED"]},
                "SortOrder": {"description": "Input only.", "values": ["ASC", "DESC"]},
            },
            "models": {
                "Item": {
                    "description": "An item.",
                    "fields": {
                        "id": {"type": "ID"},
                        "name": {"type": "String_unsecure", "description": "Its name."},
                        "color": {"type": "Color", "isOptional": True},
                        "status": {"type": "Status"},
                        "tags": {"type": "String_unsecure", "isArray": True, "isOptional": True},
                    },
                },
            },
        },
        "shop/item.create.yaml": {
            "kind": "command",
            "meta": _meta("item.create"),
            "io": {
                "input": "CreateItemInput",
                "output": "Item",
                "errors": {"ITEM_EXISTS": {"description": "Already there", "http": 409}},
            },
            "policy": {"auth": "user"},
            "sideEffects": {"emits": [{"event": "item.created", "version": "1.0.0"}]},
            "models": {
                "CreateItemInput": {
                    "description": "Input to create an item.",
                    "fields": {
                        "name": {"type": "String_unsecure"},
                        "color": {"type": "Color", "isOptional": True},
                        "note": {"type": "String_unsecure", "isOptional": True},
                        "legacy": {
                            "type": "String_unsecure",
                            "isOptional": True,
                            "deprecated": "Use note",
                        },
                    },
                }
            },
        },
        "shop/item.get.yaml": {
            "kind": "query",
            "meta": _meta("item.get"),
            "io": {
                "input": "GetItemInput",
                "output": "Item",
                "errors": {
                    "ITEM_NOT_FOUND": {"description": "No such item", "http": 404},
                },
            },
            "policy": {"auth": "user"},
            "models": {
                "GetItemInput": {
                    "description": "Look an item up.",
                    "fields": {"id": {"type": "ID"}},
                }
            },
        },
        "shop/item.search.yaml": {
            "kind": "query",
            "meta": _meta("item.search", "beta"),
            "io": {"input": "SearchInput", "output": "SearchResult"},
            "policy": {"auth": "user"},
            "models": {
                "SearchInput": {
                    "description": "Search terms.",
                    "fields": {
                        "text": {"type": "String_unsecure"},
                        "order": {"type": "SortOrder", "isOptional": True},
                    },
                },
                "SearchResult": {
                    "description": "Search hits.",
                    "fields": {
                        "hits": {"type": "Item", "isArray": True},
                        "total": {"type": "Int_unsecure"},
                    },
                },
            },
        },
        "shop/events/item.created.yaml": {
            "kind": "event",
            "meta": {
                k: v for k, v in _meta("item.created").items() if k not in ("goal", "context")
            },
            "payload": "ItemCreatedPayload",
            "models": {
                "ItemCreatedPayload": {
                    "description": "What was created.",
                    "fields": {
                        "itemId": {"type": "ID"},
                        "title": {"type": "String_unsecure"},
                        "color": {"type": "Color", "isOptional": True},
                    },
                }
            },
        },
    }


Expect = tuple[str, str, dict[str, str]]


@dataclass
class Case:
    name: str
    edit: Callable[[Tree], None]
    expect: list[Expect]
    gate: str = "ok"
    #: Change codes allowed besides the expected ones (cascades of the same edit).
    also: tuple[str, ...] = ()
    #: Old-side edit, applied to both trees before ``edit`` (to set up a case).
    setup: Callable[[Tree], None] | None = None
    #: Contracts (labels) a change must be attributed to: (code, [labels]).
    impacts: list[tuple[str, list[str]]] = field(default_factory=list)


B, D, S, N = "breaking", "dangerous", "safe", "info"
OPS = ("rest", "graphql", "python")


def ops(v: str) -> dict[str, str]:
    return dict.fromkeys(OPS, v)


def fields_of(tree: Tree, file: str, model: str) -> dict[str, Any]:
    result: dict[str, Any] = tree[file]["models"][model]["fields"]
    return result


MODELS = "shop/models.yaml"
CREATE = "shop/item.create.yaml"
GET = "shop/item.get.yaml"
SEARCH = "shop/item.search.yaml"
EVENT = "shop/events/item.created.yaml"


def _remove_event(t: Tree) -> None:
    del t[EVENT]
    del t[CREATE]["sideEffects"]


def _major_get(t: Tree) -> None:
    t[GET]["meta"]["version"] = "2.0.0"
    del fields_of(t, GET, "GetItemInput")["id"]
    fields_of(t, GET, "GetItemInput")["key"] = {"type": "String_unsecure"}


def _beside(t: Tree) -> None:
    doc = copy.deepcopy(t[GET])
    doc["meta"]["version"] = "2.0.0"
    doc["io"]["input"] = "GetItemInputV2"
    doc["models"] = {"GetItemInputV2": {"description": "v2", "fields": {"ref": {"type": "ID"}}}}
    t["shop/item.get.v2.yaml"] = doc


def _member() -> dict[str, Any]:
    return {
        "fields": {"kind": {"type": "String"}, "type": {"type": "String"}, "ref": {"type": "ID"}}
    }


def _with_union(use: str | None) -> Callable[[Tree], None]:
    """Adds the union PaymentMethod (card, bank) and its member models; use: the model
    that gets an optional field of the union ('CreateItemInput': an input, 'Item': an
    output), or None for an unused union."""

    def edit(t: Tree) -> None:
        models = t[MODELS]["models"]
        models["CardPayment"] = _member()
        models["BankTransfer"] = _member()
        models["Voucher"] = _member()
        t[MODELS]["unions"] = {
            "PaymentMethod": {
                "discriminator": "kind",
                "members": {"card": "CardPayment", "bank": "BankTransfer"},
            }
        }
        if use == "Item":
            fields_of(t, MODELS, "Item")["payment"] = {"type": "PaymentMethod", "isOptional": True}
        elif use is not None:
            fields_of(t, CREATE, use)["payment"] = {"type": "PaymentMethod", "isOptional": True}

    return edit


UNION = ["unions", "PaymentMethod"]


def _add_gift_card(t: Tree) -> None:
    """A new model, and a new member of PaymentMethod for it."""
    t[MODELS]["models"]["GiftCard"] = _member()
    t[MODELS]["unions"]["PaymentMethod"]["members"]["gift"] = "GiftCard"


NOT_MODIFIED = {"description": "Not modified since If-None-Match"}
MOVED = {"description": "Moved; Location names the new place"}


def _queued_answer(t: Tree) -> None:
    """item.create answers 202 with a model of its own."""
    t[MODELS]["models"]["Queued"] = {"description": "Queued.", "fields": {"job": {"type": "ID"}}}
    queued = {"202": {"description": "Queued", "output": "Queued"}}
    t[CREATE].setdefault("transport", {}).setdefault("rest", {})["responses"] = queued


def _set(path: list[str], value: Any, file: str) -> Callable[[Tree], None]:
    def edit(t: Tree) -> None:
        node = t[file]
        for p in path[:-1]:
            node = node.setdefault(p, {})
        node[path[-1]] = value

    return edit


def _del(path: list[str], file: str) -> Callable[[Tree], None]:
    def edit(t: Tree) -> None:
        node = t[file]
        for p in path[:-1]:
            node = node[p]
        del node[path[-1]]

    return edit


def _drop(file: str) -> Callable[[Tree], None]:
    def edit(t: Tree) -> None:
        del t[file]

    return edit


def _rename_model(file: str, old: str, new: str, io_slot: str) -> Callable[[Tree], None]:
    def edit(t: Tree) -> None:
        t[file]["models"][new] = t[file]["models"].pop(old)
        t[file]["io"][io_slot] = new

    return edit


def _both(*edits: Callable[[Tree], None]) -> Callable[[Tree], None]:
    def edit(t: Tree) -> None:
        for e in edits:
            e(t)

    return edit


def _event_major(t: Tree) -> None:
    t[EVENT]["meta"]["version"] = "2.0.0"
    t[CREATE]["sideEffects"]["emits"][0]["version"] = "2.0.0"


def _rename_payload(t: Tree) -> None:
    t[EVENT]["models"]["ItemCreatedBody"] = t[EVENT]["models"].pop("ItemCreatedPayload")
    t[EVENT]["payload"] = "ItemCreatedBody"


def _rename_item(t: Tree) -> None:
    t[MODELS]["models"]["Product"] = t[MODELS]["models"].pop("Item")
    t[CREATE]["io"]["output"] = "Product"
    t[GET]["io"]["output"] = "Product"
    t[SEARCH]["models"]["SearchResult"]["fields"]["hits"]["type"] = "Product"


def _meta_case(attr: str, value: Any) -> Case:
    return Case(
        f"meta_{attr}_changed",
        _set(["meta", attr], value, GET),
        [(f"meta.{attr}", "item.get", {"python": N})],
    )


CI_F = ["models", "CreateItemInput", "fields"]
ITEM_F = ["models", "Item", "fields"]
PAY_F = ["models", "ItemCreatedPayload", "fields"]
SEARCH_IN_F = ["models", "SearchInput", "fields"]

CASES: list[Case] = [
    Case(
        "operation_removed",
        _drop(GET),
        [("operation.removed", "item.get", ops(B)), ("model.removed", "GetItemInput", {})],
        "fail",
    ),
    Case(
        "event_removed",
        _remove_event,
        [("event.removed", "item.created", {"events": B, "graphql": B, "python": B})],
        "fail",
        also=("model.removed", "operation.emits"),
    ),
    Case(
        "operation_added",
        lambda t: t.__setitem__(
            "shop/item.count.yaml",
            {
                "kind": "query",
                "meta": _meta("item.count"),
                "io": {"input": None, "output": "SearchResult"},
                "policy": {"auth": "user"},
            },
        ),
        [("operation.added", "item.count", ops(S))],
    ),
    Case(
        "event_added",
        lambda t: t.__setitem__(
            "shop/events/item.deleted.yaml",
            {
                "kind": "event",
                "meta": {k: v for k, v in _meta("item.deleted").items() if k != "goal"},
                "payload": "ItemCreatedPayload",
            },
        ),
        [("event.added", "item.deleted", {"events": S, "graphql": S, "python": S})],
    ),
    Case(
        "input_field_removed",
        _del([*CI_F, "note"], CREATE),
        [("field.removed", "CreateItemInput field note", ops(B))],
        "fail",
    ),
    Case(
        "input_field_removed_after_deprecation",
        _del([*CI_F, "legacy"], CREATE),
        [("field.removed", "CreateItemInput field legacy", ops(B))],
        "fail",
    ),
    Case(
        "output_field_removed",
        _del([*ITEM_F, "tags"], MODELS),
        [("field.removed", "Item field tags", ops(B))],
        "fail",
        impacts=[("field.removed", ["item.create@1.0.0", "item.get@1.0.0", "item.search@1.0.0"])],
    ),
    Case(
        "output_field_retyped",
        _set([*ITEM_F, "name"], {"type": "Int_unsecure"}, MODELS),
        [("field.type-changed", "Item field name", ops(B))],
        "fail",
        also=("field.description",),
    ),
    Case(
        "input_field_retyped_scalar_to_enum",
        _set([*CI_F, "note"], {"type": "Color", "isOptional": True}, CREATE),
        [("field.type-changed", "CreateItemInput field note", ops(B))],
        "fail",
    ),
    Case(
        "input_field_array_changed",
        _set([*CI_F, "name"], {"type": "String_unsecure", "isArray": True}, CREATE),
        [("field.array-changed", "CreateItemInput field name", ops(B))],
        "fail",
    ),
    Case(
        "output_field_array_changed",
        _set([*ITEM_F, "tags"], {"type": "String_unsecure", "isOptional": True}, MODELS),
        [("field.array-changed", "Item field tags", ops(B))],
        "fail",
    ),
    Case(
        "input_optional_to_required",
        _set([*CI_F, "note"], {"type": "String_unsecure"}, CREATE),
        [("field.now-required", "CreateItemInput field note", ops(B))],
        "fail",
    ),
    Case(
        "input_required_to_optional",
        _set([*CI_F, "name"], {"type": "String_unsecure", "isOptional": True}, CREATE),
        [("field.now-optional", "CreateItemInput field name", ops(S))],
    ),
    Case(
        "output_required_to_optional",
        _set(
            [*ITEM_F, "name"],
            {"type": "String_unsecure", "isOptional": True, "description": "Its name."},
            MODELS,
        ),
        [("field.now-optional", "Item field name", {"rest": D, "graphql": B, "python": D})],
        "fail",
    ),
    Case(
        "output_optional_to_required",
        _set([*ITEM_F, "color"], {"type": "Color"}, MODELS),
        [("field.now-required", "Item field color", ops(S))],
    ),
    Case(
        "input_required_field_added",
        _set([*CI_F, "sku"], {"type": "String_unsecure"}, CREATE),
        [("field.added.required", "CreateItemInput field sku", ops(B))],
        "fail",
    ),
    Case(
        "input_optional_field_added",
        _set([*CI_F, "sku"], {"type": "String_unsecure", "isOptional": True}, CREATE),
        [("field.added.optional", "CreateItemInput field sku", ops(S))],
    ),
    Case(
        "output_field_added",
        _set([*ITEM_F, "createdAt"], {"type": "DateTime"}, MODELS),
        [("field.added.required", "Item field createdAt", ops(S))],
    ),
    Case(
        "output_optional_field_added",
        _set([*ITEM_F, "weight"], {"type": "Float_unsecure", "isOptional": True}, MODELS),
        [("field.added.optional", "Item field weight", ops(S))],
    ),
    # -- format 1.1: defaults, constraints, maps, wire values -------------------------
    Case(
        "input_field_default_changed",
        _set([*CI_F, "count"], {"type": "Int_unsecure", "default": 5}, CREATE),
        [("field.default-changed", "CreateItemInput field count", ops(D))],
        setup=_set([*CI_F, "count"], {"type": "Int_unsecure", "default": 1}, CREATE),
    ),
    Case(
        "input_field_default_added",
        _set([*CI_F, "name"], {"type": "String_unsecure", "default": "Unnamed"}, CREATE),
        [("field.default-added", "CreateItemInput field name", ops(S))],
    ),
    Case(
        "input_field_default_removed",
        _set([*CI_F, "count"], {"type": "Int_unsecure"}, CREATE),
        [("field.default-removed", "CreateItemInput field count", ops(B))],
        "fail",
        setup=_set([*CI_F, "count"], {"type": "Int_unsecure", "default": 1}, CREATE),
    ),
    Case(
        "output_field_default_added",
        _set(["models", "SearchResult", "fields", "total"], {"type": "Int", "default": 0}, SEARCH),
        [
            (
                "field.default-added",
                "SearchResult field total",
                {"rest": D, "graphql": S, "python": S},
            )
        ],
    ),
    Case(
        "input_constraint_tightened",
        _set([*CI_F, "name"], {"type": "String_unsecure", "maxLength": 20}, CREATE),
        [("field.constraint-tightened", "CreateItemInput field name", ops(B))],
        "fail",
        setup=_set([*CI_F, "name"], {"type": "String_unsecure", "maxLength": 50}, CREATE),
    ),
    Case(
        "input_constraint_loosened",
        _set([*CI_F, "name"], {"type": "String_unsecure"}, CREATE),
        [("field.constraint-loosened", "CreateItemInput field name", ops(S))],
        setup=_set([*CI_F, "name"], {"type": "String_unsecure", "minLength": 1}, CREATE),
    ),
    Case(
        "output_constraint_tightened",
        _set(["models", "SearchResult", "fields", "total"], {"type": "Int", "minimum": 0}, SEARCH),
        [("field.constraint-tightened", "SearchResult field total", ops(S))],
    ),
    Case(
        "output_constraint_loosened",
        _set(
            ["models", "SearchResult", "fields", "total"],
            {"type": "Int", "minimum": 0, "maximum": 1000},
            SEARCH,
        ),
        [
            (
                "field.constraint-loosened",
                "SearchResult field total",
                {"rest": B, "graphql": D, "python": B},
            )
        ],
        "warn",  # item.search is beta
        setup=_set(
            ["models", "SearchResult", "fields", "total"],
            {"type": "Int", "minimum": 0, "maximum": 100},
            SEARCH,
        ),
    ),
    Case(
        "input_pattern_changed",
        _set([*CI_F, "name"], {"type": "String_unsecure", "pattern": "^[a-z]+$"}, CREATE),
        [
            ("field.constraint-tightened", "CreateItemInput field name", ops(B)),
            ("field.constraint-loosened", "CreateItemInput field name", ops(S)),
        ],
        "fail",
        setup=_set([*CI_F, "name"], {"type": "String_unsecure", "pattern": "^[A-Z]+$"}, CREATE),
    ),
    Case(
        "output_field_map_changed",
        _set(
            [*ITEM_F, "tags"],
            {"type": "String_unsecure", "isMap": True, "isOptional": True},
            MODELS,
        ),
        [("field.map-changed", "Item field tags", ops(B))],
        "fail",
        also=("field.array-changed",),
    ),
    Case(
        "enum_value_renamed_on_the_wire",
        _set(["enums", "SortOrder", "values"], ["asc", "DESC"], MODELS),
        [("enum.value-renamed", "SortOrder", {"rest": B, "graphql": B, "python": S})],
        "warn",  # only item.search (beta) reaches SortOrder
    ),
    Case(
        "enum_value_notes_changed",
        _set(
            ["enums", "Color", "values"],
            ["RED", {"value": "GREEN", "description": "Like grass", "deprecated": True}],
            MODELS,
        ),
        [("enum.value-notes", "Color", {"python": N})],
    ),
    Case(
        "enum_value_removed_input_only",
        _set(["enums", "SortOrder", "values"], ["ASC"], MODELS),
        [("enum.value-removed", "SortOrder", {"rest": B, "graphql": B, "python": B})],
        "warn",  # only item.search (beta) reaches SortOrder
    ),
    Case(
        "enum_value_removed_output_only",
        _set(["enums", "Status", "values"], ["ACTIVE"], MODELS),
        [("enum.value-removed", "Status", {"rest": D, "graphql": B, "python": B})],
        "fail",
    ),
    Case(
        "enum_value_removed_input_and_output",
        _set(["enums", "Color", "values"], ["RED"], MODELS),
        [("enum.value-removed", "Color", {"rest": B, "graphql": B, "python": B, "events": D})],
        "fail",
    ),
    Case(
        "union_member_removed_input",
        _set([*UNION, "members"], {"card": "CardPayment"}, MODELS),
        [("union.member-removed", "PaymentMethod", ops(B))],
        "fail",
        setup=_with_union("CreateItemInput"),
    ),
    Case(
        "union_member_removed_output",
        _set([*UNION, "members"], {"card": "CardPayment"}, MODELS),
        [("union.member-removed", "PaymentMethod", {"rest": D, "graphql": B, "python": B})],
        "fail",
        setup=_with_union("Item"),
    ),
    Case(
        "union_member_added_output",
        _set(
            [*UNION, "members"],
            {"card": "CardPayment", "bank": "BankTransfer", "voucher": "Voucher"},
            MODELS,
        ),
        [("union.member-added", "PaymentMethod", {"rest": D, "graphql": D, "python": S})],
        setup=_with_union("Item"),
    ),
    Case(
        "union_member_added_input",
        _add_gift_card,
        [("union.member-added", "PaymentMethod", ops(S))],
        setup=_with_union("CreateItemInput"),
        also=("model.added",),
    ),
    Case(
        "union_discriminator_changed",
        _set([*UNION, "discriminator"], "type", MODELS),
        [("union.discriminator", "PaymentMethod", {"rest": B, "graphql": N, "python": B})],
        "fail",
        setup=_with_union("CreateItemInput"),
    ),
    Case(
        "union_removed",
        _del(["unions"], MODELS),
        [("union.removed", "PaymentMethod", {"python": B})],
        "warn",  # no contract reaches it
        setup=_with_union(None),
    ),
    Case(
        "union_added",
        _with_union(None),
        [("union.added", "PaymentMethod", {"python": S})],
        also=("model.added",),
    ),
    Case(
        "enum_value_added_output",
        _set(["enums", "Status", "values"], ["ACTIVE", "ARCHIVED", "DELETED"], MODELS),
        [("enum.value-added", "Status", {"rest": D, "graphql": D, "python": S})],
    ),
    Case(
        "enum_value_added_input_only",
        _set(["enums", "SortOrder", "values"], ["ASC", "DESC", "RANDOM"], MODELS),
        [("enum.value-added", "SortOrder", ops(S))],
    ),
    Case(
        "model_renamed_beta",
        _rename_model(SEARCH, "SearchResult", "SearchPage", "output"),
        [
            ("model.renamed", "SearchResult", {"rest": N, "graphql": B, "python": B}),
            ("io.output-renamed", "item.search", {"rest": N, "graphql": B, "python": S}),
        ],
        "warn",
    ),
    Case(
        "model_renamed_stable",
        _rename_model(GET, "GetItemInput", "ItemLookup", "input"),
        [
            ("model.renamed", "GetItemInput", {"rest": N, "graphql": B, "python": B}),
            ("io.input-renamed", "item.get", {"rest": N, "graphql": B}),
        ],
        "fail",
    ),
    Case(
        "io_output_reshaped",
        _both(
            _set(["models", "ItemView"], {"fields": {"id": {"type": "ID"}}}, GET),
            _set(["io", "output"], "ItemView", GET),
        ),
        [
            ("io.output-type", "item.get", {"graphql": B, "python": B}),
            ("field.removed", "Item->ItemView field name", ops(B)),
        ],
        "fail",
        also=("model.added",),
    ),
    Case(
        "error_removed",
        _del(["io", "errors"], GET),
        # the generated ItemNotFound error class disappears: an import or an except breaks
        [("error.removed", "ITEM_NOT_FOUND", {"errors": D, "rest": D, "graphql": D, "python": B})],
        "fail",
    ),
    Case(
        "error_added",
        _set(["io", "errors", "ITEM_GONE"], {"description": "Gone", "http": 410}, GET),
        [("error.added", "ITEM_GONE", {"errors": D, "python": S})],
    ),
    Case(
        "error_http_changed",
        _set(["io", "errors", "ITEM_NOT_FOUND", "http"], 410, GET),
        [("error.http", "ITEM_NOT_FOUND", {"errors": B, "rest": B})],
        "fail",
    ),
    Case(
        "error_gql_code_changed",
        _set(["io", "errors", "ITEM_NOT_FOUND", "gqlCode"], "NOT_FOUND", GET),
        [("error.gql-code", "ITEM_NOT_FOUND", {"errors": B, "graphql": B})],
        "fail",
    ),
    Case(
        "error_description_only",
        _set(["io", "errors", "ITEM_NOT_FOUND", "description"], "Missing", GET),
        [("error.description", "ITEM_NOT_FOUND", {"errors": N})],
    ),
    Case(
        "auth_tightened",
        _set(["policy", "auth"], "admin", GET),
        [("policy.auth", "item.get", {"rest": B, "graphql": B})],
        "fail",
    ),
    Case(
        "auth_loosened",
        _set(["policy", "auth"], "anonymous", GET),
        [("policy.auth", "item.get", {"rest": D, "graphql": D})],
    ),
    Case(
        "idempotency_dropped",
        _set(["policy", "idempotent"], False, CREATE),
        [("policy.idempotent", "item.create", {"rest": D, "graphql": D})],
        setup=_set(["policy", "idempotent"], True, CREATE),
    ),
    Case(
        "rate_limit_added",
        _set(["policy", "rateLimit"], {"rpm": 60}, GET),
        [("policy.rate-limit", "item.get", {"rest": D})],
    ),
    Case(
        "feature_flag_added",
        _set(["policy", "flags"], ["shop-v2"], GET),
        [("policy.flags", "item.get", {"rest": D, "graphql": D})],
    ),
    Case(
        "idempotency_gained",
        _set(["policy", "idempotent"], True, CREATE),
        [("policy.idempotent", "item.create", {"rest": S, "graphql": S})],
    ),
    Case(
        "rate_limit_removed",
        _del(["policy", "rateLimit"], GET),
        [("policy.rate-limit", "item.get", {"rest": S, "graphql": S})],
        setup=_set(["policy", "rateLimit"], {"rpm": 60}, GET),
    ),
    Case(
        "rate_limit_raised",
        _set(["policy", "rateLimit"], {"rpm": 120}, GET),
        [("policy.rate-limit", "item.get", {"rest": S, "graphql": S})],
        setup=_set(["policy", "rateLimit"], {"rpm": 60}, GET),
    ),
    Case(
        "rate_limit_rekeyed",
        _set(["policy", "rateLimit"], {"rpm": 60, "key": "org"}, GET),
        [("policy.rate-limit", "item.get", {"rest": D, "graphql": D})],
        setup=_set(["policy", "rateLimit"], {"rpm": 60}, GET),
    ),
    Case(
        "feature_flag_dropped",
        _set(["policy", "flags"], [], GET),
        [("policy.flags", "item.get", {"rest": S, "graphql": S})],
        setup=_set(["policy", "flags"], ["shop-v2"], GET),
    ),
    Case(
        "event_stability_lowered",
        _set(["meta", "stability"], "beta", EVENT),
        [("meta.stability", "item.created", {"events": D, "graphql": D, "python": D})],
    ),
    Case(
        "event_stability_raised",
        _set(["meta", "stability"], "stable", EVENT),
        [("meta.stability", "item.created", {"events": N, "graphql": N, "python": N})],
        setup=_set(["meta", "stability"], "beta", EVENT),
    ),
    Case(
        "rest_method_changed",
        _set(["transport", "rest", "method"], "POST", GET),
        [("transport.rest-method", "item.get", {"rest": B})],
        "fail",
    ),
    Case(
        "rest_path_changed",
        _set(["transport", "rest", "path"], "/v1/items/lookup", GET),
        [("transport.rest-path", "item.get", {"rest": B})],
        "fail",
    ),
    Case(
        "rest_status_changed",
        _set(["transport", "rest", "status"], 201, CREATE),
        [("transport.rest-status", "item.create", {"rest": B})],
        "fail",
    ),
    Case(
        "rest_answer_added_first",
        _set(["transport", "rest", "responses"], {"304": NOT_MODIFIED}, GET),
        [("transport.rest-answer-added", "item.get", {"rest": D, "python": B})],
        "fail",
    ),
    Case(
        "rest_answer_added_another",
        _set(["transport", "rest", "responses"], {"304": NOT_MODIFIED, "301": MOVED}, GET),
        [("transport.rest-answer-added", "item.get", {"rest": D, "python": N})],
        "ok",
        setup=_set(["transport", "rest", "responses"], {"304": NOT_MODIFIED}, GET),
    ),
    Case(
        "rest_answer_removed_last",
        _del(["transport", "rest", "responses"], GET),
        [("transport.rest-answer-removed", "item.get", {"rest": S, "python": B})],
        "fail",
        setup=_set(["transport", "rest", "responses"], {"304": NOT_MODIFIED}, GET),
    ),
    Case(
        "rest_answer_removed_another",
        _set(["transport", "rest", "responses"], {"304": NOT_MODIFIED}, GET),
        [("transport.rest-answer-removed", "item.get", {"rest": S, "python": N})],
        "ok",
        setup=_set(["transport", "rest", "responses"], {"304": NOT_MODIFIED, "301": MOVED}, GET),
    ),
    Case(
        "rest_answer_body_changed",
        _set(["transport", "rest", "responses"], {"202": {"description": "Queued"}}, CREATE),
        [("transport.rest-answer-body", "item.create", {"rest": B, "python": B})],
        "fail",
        setup=_queued_answer,
    ),
    Case(
        "rest_field_moved_to_query",
        _set(["transport", "rest", "query"], ["note"], CREATE),
        [("transport.rest-location", "item.create", {"rest": B})],
        "fail",
    ),
    Case(
        "rest_field_moved_to_header",
        _set(["transport", "rest", "headers"], {"note": "X-Note"}, CREATE),
        [("transport.rest-location", "item.create", {"rest": B})],
        "fail",
    ),
    Case(
        "output_removed",
        _set(["io", "output"], None, CREATE),
        [
            ("io.output-removed", "item.create", ops(B)),
            ("transport.rest-status", "item.create", {"rest": B}),
        ],
        "fail",
    ),
    Case(
        "output_added",
        _set(["io", "output"], "Item", CREATE),
        [
            ("io.output-added", "item.create", ops(B)),
            ("transport.rest-status", "item.create", {"rest": B}),
        ],
        "fail",
        setup=_set(["io", "output"], None, CREATE),
    ),
    Case(
        "graphql_field_changed",
        _set(["transport", "gql", "field"], "fetchItem", GET),
        [("transport.graphql-field", "item.get", {"graphql": B})],
        "fail",
    ),
    Case(
        "command_query_swapped",
        _set(["kind"], "command", GET),
        [
            ("operation.kind", "item.get", {"graphql": B}),
            ("transport.rest-method", "item.get", {"rest": B}),
        ],
        "fail",
        also=("policy.idempotent",),  # queries are always idempotent, commands not by default
    ),
    Case(
        "event_payload_field_removed",
        _del([*PAY_F, "title"], EVENT),
        [
            (
                "field.removed",
                "ItemCreatedPayload field title",
                {"events": B, "graphql": B, "python": B},
            )
        ],
        "fail",
    ),
    Case(
        "event_payload_field_retyped",
        _set([*PAY_F, "title"], {"type": "Int_unsecure"}, EVENT),
        [
            (
                "field.type-changed",
                "ItemCreatedPayload field title",
                {"events": B, "graphql": B, "python": B},
            )
        ],
        "fail",
    ),
    Case(
        "event_payload_field_added",
        _set([*PAY_F, "at"], {"type": "DateTime"}, EVENT),
        [
            (
                "field.added.required",
                "ItemCreatedPayload field at",
                {"events": S, "graphql": S, "python": S},
            )
        ],
    ),
    Case(
        "stability_lowered",
        _set(["meta", "stability"], "beta", GET),
        [("meta.stability", "item.get", ops(D))],
    ),
    Case(
        "stability_raised",
        _set(["meta", "stability"], "stable", SEARCH),
        [("meta.stability", "item.search", ops(N))],
    ),
    Case(
        "contract_deprecated",
        _set(["meta", "stability"], "deprecated", GET),
        [("meta.stability", "item.get", ops(D))],
    ),
    Case(
        "description_only",
        _both(
            _set(["meta", "description"], "Fetch one item.", GET),
            _set([*ITEM_F, "name", "description"], "The display name.", MODELS),
            _set(["models", "Item", "description"], "A thing for sale.", MODELS),
        ),
        [
            ("meta.description", "item.get", {"python": N}),
            ("field.description", "Item field name", {"python": N}),
            ("model.description", "Item", {"python": N}),
        ],
    ),
    Case(
        "field_deprecated",
        _set([*CI_F, "note", "deprecated"], True, CREATE),
        [("field.deprecated", "CreateItemInput field note", {"python": N})],
    ),
    Case(
        "major_bump_with_breaking",
        _major_get,
        [
            ("field.removed", "GetItemInput field id", ops(B)),
            ("field.added.required", "GetItemInput field key", ops(B)),
            ("transport.rest-path", "item.get", {"rest": B}),
            ("transport.graphql-field", "item.get", {"graphql": B}),
            ("transport.python-handler", "item.get", {"python": B}),
            ("meta.version", "item.get", {"python": N}),
        ],
        "ok",
        impacts=[("field.removed", ["item.get@1.0.0->2.0.0"])],
    ),
    Case(
        "new_major_beside_old",
        _beside,
        [("operation.added", "item.get", ops(S)), ("model.added", "GetItemInputV2", {})],
    ),
    Case(
        "old_major_removed_after_new",
        _drop(GET),
        [("operation.removed", "item.get", ops(B))],
        "ok",
        also=("model.removed",),
        setup=_beside,
    ),
    Case(
        "version_bump_without_change",
        _set(["meta", "version"], "1.0.1", GET),
        [("meta.version", "item.get", {"python": N})],
    ),
    Case(
        "beta_breaking_is_warning",
        _del([*SEARCH_IN_F, "order"], SEARCH),
        [("field.removed", "SearchInput field order", ops(B))],
        "warn",
    ),
    Case(
        "experimental_breaking_is_warning",
        _del([*SEARCH_IN_F, "order"], SEARCH),
        [("field.removed", "SearchInput field order", ops(B))],
        "warn",
        setup=_set(["meta", "stability"], "experimental", SEARCH),
    ),
    Case(
        "idea_not_judged",
        _del([*SEARCH_IN_F, "order"], SEARCH),
        [("field.removed", "SearchInput field order", ops(B))],
        "ok",
        setup=_set(["meta", "stability"], "idea", SEARCH),
    ),
    Case(
        "deprecated_contract_removed",
        _drop(SEARCH),
        [("operation.removed", "item.search", ops(B))],
        "warn",
        also=("model.removed",),
        setup=_set(["meta", "stability"], "deprecated", SEARCH),
    ),
    Case(
        "shared_model_reaches_beta_and_stable",
        _set([*ITEM_F, "id"], {"type": "String_unsecure"}, MODELS),
        [("field.type-changed", "Item field id", ops(B))],
        "fail",
        impacts=[
            ("field.type-changed", ["item.create@1.0.0", "item.get@1.0.0", "item.search@1.0.0"])
        ],
    ),
    Case(
        "unused_model_removed",
        _del(["models", "Orphan"], MODELS),
        [("model.removed", "Orphan", {"python": B})],
        "warn",
        setup=_set(["models", "Orphan"], {"fields": {"a": {"type": "ID"}}}, MODELS),
    ),
    Case(
        "event_major_bump",
        _event_major,
        [
            ("event.graphql-field", "item.created", {"graphql": B}),
            ("event.python-name", "item.created", {"python": B}),
            ("meta.version", "item.created", {"python": N}),
        ],
        "ok",  # the major bump allows it
    ),
    Case(
        "io_input_added",
        _set(["io", "input"], "GetItemInput", GET),
        [("io.input-added", "item.get", ops(B))],
        "fail",
        setup=_set(["io", "input"], None, GET),
    ),
    Case(
        "io_input_removed",
        _set(["io", "input"], None, GET),
        [("io.input-removed", "item.get", ops(B))],
        "fail",
    ),
    Case(
        "io_input_reshaped",
        _both(
            _set(["models", "LookupInput"], {"fields": {"key": {"type": "String_unsecure"}}}, GET),
            _set(["io", "input"], "LookupInput", GET),
        ),
        [
            ("io.input-type", "item.get", {"graphql": B, "python": B}),
            ("field.removed", "GetItemInput->LookupInput field id", ops(B)),
            ("field.added.required", "GetItemInput->LookupInput field key", ops(B)),
        ],
        "fail",
        also=("model.added",),
    ),
    Case(
        "event_payload_renamed",
        _rename_payload,
        [
            ("io.payload-renamed", "item.created", {"events": N, "graphql": B, "python": S}),
            ("model.renamed", "ItemCreatedPayload", {"python": B, "events": N, "graphql": B}),
        ],
        "fail",
    ),
    Case(
        "event_payload_reshaped",
        _both(
            _set(["models", "ItemCreatedV2"], {"fields": {"itemId": {"type": "ID"}}}, EVENT),
            _set(["payload"], "ItemCreatedV2", EVENT),
        ),
        [
            ("io.payload-type", "item.created", {"graphql": B, "python": B}),
            (
                "field.removed",
                "ItemCreatedPayload->ItemCreatedV2 field title",
                {"events": B, "graphql": B},
            ),
        ],
        "fail",
        also=("model.added",),
    ),
    Case(
        "error_retryable_changed",
        _set(["io", "errors", "ITEM_NOT_FOUND", "retryable"], True, GET),
        [("error.retryable", "ITEM_NOT_FOUND", {"errors": D})],
    ),
    Case(
        "policy_pii_changed",
        _set(["policy", "pii"], ["name"], CREATE),
        [("policy.pii", "item.create", {"python": N})],
    ),
    Case(
        "event_pii_changed",
        _set(["pii"], ["title"], EVENT),
        [("event.pii", "item.created", {"events": N})],
    ),
    Case(
        "emits_changed",
        _del(["sideEffects"], CREATE),
        [("operation.emits", "item.create", {"events": N})],
    ),
    Case(
        "examples_changed",
        _set(["examples"], [{"name": "one", "input": {"id": "i2"}}], GET),
        [("operation.examples", "item.get", {"python": N})],
        setup=_set(["examples"], [{"name": "one", "input": {"id": "i1"}}], GET),
    ),
    _meta_case("title", "Get an item"),
    _meta_case("goal", "Show one item."),
    _meta_case("context", "Item pages."),
    _meta_case("owners", ["team.shop", "team.web"]),
    _meta_case("tags", ["read"]),
    Case(
        "enum_removed",
        _del(["enums", "Size"], MODELS),
        [("enum.removed", "Size", {"python": B})],
        "warn",  # nothing reaches it: only the generated Python changes
        setup=_set(["enums", "Size"], {"values": ["S", "M"]}, MODELS),
    ),
    Case(
        "enum_added",
        _set(["enums", "Size"], {"values": ["S", "M"]}, MODELS),
        [("enum.added", "Size", {"python": S})],
    ),
    Case(
        "enum_description_changed",
        _set(["enums", "Color", "description"], "A hue.", MODELS),
        [("enum.description", "Color", {"python": N})],
    ),
    Case(
        "field_type_renamed",
        _rename_item,
        [
            (
                "field.type-renamed",
                "SearchResult field hits",
                {"rest": N, "graphql": B, "python": S},
            ),
            ("model.renamed", "Item", {"rest": N, "graphql": B, "python": B}),
            ("io.output-renamed", "item.get", {"rest": N, "graphql": B, "python": S}),
        ],
        "fail",
    ),
]


def _dump(tree: Tree, root: Path) -> None:
    for rel, doc in sorted(tree.items()):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
        path.write_text(text, encoding="utf-8")


def trees(case: Case) -> tuple[Tree, Tree]:
    old = base_tree()
    if case.setup is not None:
        case.setup(old)
    new = copy.deepcopy(old)
    case.edit(new)
    return old, new


def expected_json(case: Case) -> dict[str, Any]:
    return {
        "gate": case.gate,
        "also": list(case.also),
        "changes": [{"code": c, "subject": s, "surfaces": v} for c, s, v in case.expect],
        "impacts": [{"code": c, "contracts": labels} for c, labels in case.impacts],
    }


def write_case(case: Case, folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    old, new = trees(case)
    _dump(old, folder / "old")
    _dump(new, folder / "new")
    text = json.dumps(expected_json(case), indent=2, sort_keys=True) + "\n"
    (folder / "expected.json").write_text(text, encoding="utf-8")


def write_all(target: Path = CASES_DIR) -> None:
    names = {c.name for c in CASES}
    assert len(names) == len(CASES), "case names must be unique"
    if target.exists():
        for stale in target.iterdir():
            if stale.name not in names:
                shutil.rmtree(stale)
    for case in CASES:
        write_case(case, target / case.name)


if __name__ == "__main__":
    write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else CASES_DIR)
