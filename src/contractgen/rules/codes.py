"""The diagnostic codes: one entry per code, grouped by the hundreds.

The hundreds say where a problem was found. ``docs/diagnostics.md`` holds one
table per group, generated from these entries (``contractgen rules --format
markdown``). The examples are real messages from the bad-input corpus
(``tests/load/bad/``).
"""

from __future__ import annotations

from contractgen.rules.model import DiagnosticRule

#: Group -> its heading in the docs, and a note shown under the heading.
GROUPS: dict[str, tuple[str, str]] = {
    "CG1xx": ("reading the file", ""),
    "CG2xx": ("the shape of a contract", ""),
    "CG3xx": (
        "references",
        "References to a model, enum or event whose own definition failed its checks (or "
        "may be in a file or section that cannot be read) are not reported again, nor "
        "are examples, `pii` and path parameters that name a field left out of its model "
        "for a problem reported there.",
    ),
    "CG4xx": ("rules across the tree", ""),
    "CG5xx": ("examples", ""),
    "CG6xx": (
        "templates and generated output",
        "Reported by `contractgen build` when a user template folder is configured.",
    ),
    "CG7xx": (
        "importing a foreign description",
        "Reported by `contractgen import`, located in the foreign file, with the JSON "
        "pointer of the node in the message. Losses (CG710, CG711) are warnings; "
        "`--strict` makes them errors.",
    ),
}


def _d(
    code: str,
    title: str,
    catches: str,
    examples: str,
    hint: str,
    bad: str,
    good: str,
    level: str = "error",
) -> DiagnosticRule:
    group = f"CG{code[2]}xx"
    return DiagnosticRule(code, title, group, level, catches, examples, hint, bad, good)


DIAGNOSTICS: tuple[DiagnosticRule, ...] = (
    _d(
        "CG100",
        "file cannot be read",
        "the contracts folder does not exist, holds no `*.yaml`/`*.yml` file, or a file "
        "cannot be read",
        "`contracts folder 'nowhere' does not exist`; `no contract files (*.yaml, *.yml) found`",
        "point --contracts (or contracts in contractgen.toml) at the folder of contract files",
        "contractgen validate --contracts nowhere",
        "contractgen validate --contracts contracts",
    ),
    _d(
        "CG101",
        "file is not valid UTF-8",
        "the file is not valid UTF-8; points at the first bad byte",
        "`byte 0xff is not valid UTF-8` (hint: save the file as UTF-8)",
        "save the file as UTF-8",
        "description: caf\\xe9   # Latin-1 bytes",
        "description: café      # saved as UTF-8",
    ),
    _d(
        "CG102",
        "YAML syntax error",
        "YAML syntax error, an alias to an unknown anchor, or nesting deeper than 100 levels; "
        "a ': ' inside an unquoted value is named as such",
        "`':' followed by a space inside the unquoted value of 'description'`; "
        "`found undefined alias`",
        "fix the YAML at the caret; quote values that hold ': '",
        "description: Note: not quoted",
        "description: 'Note: quoted'",
    ),
    _d(
        "CG103",
        "duplicate mapping key",
        "a key appears twice in one mapping; the note points at the first one",
        "`duplicate key 'description'`",
        "each key may appear once in a mapping; remove one of them",
        "description: First.\ndescription: Again.",
        "description: First.",
    ),
    _d(
        "CG104",
        "YAML tag refused",
        "a YAML tag or a merge key",
        "`YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed in a "
        "contract`; `YAML tag '!include' is not allowed in a contract`; "
        "`YAML merge keys ('<<') are not supported`",
        "write the value out; contracts use plain YAML only",
        "fields: !include common.yaml",
        "fields:\n  id: {type: ID}",
    ),
    _d(
        "CG105",
        "YAML alias expansion too large",
        'aliases would expand the document beyond 10,000 nodes ("billion laughs"), pointing at '
        "the anchored node whose reuse crossed the budget; or an alias inside the collection "
        "it names",
        "`aliases of this anchored node expand the file past 10000 nodes`; "
        "`an alias refers to the collection that contains it`",
        "reuse less: write the repeated part once, in a shared model",
        "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]   # and so on",
        "tags: [x]",
    ),
    _d(
        "CG106",
        "document is not a mapping",
        "the document is not a mapping",
        "`a contract file must be a mapping, not a sequence`",
        "start the file with 'kind:' and the keys of its kind",
        "- kind: command",
        "kind: command",
    ),
    _d(
        "CG107",
        "more than one YAML document",
        "more than one YAML document in the file; points at the second",
        "`a contract file holds one YAML document` (hint: split the documents into separate files)",
        "split the documents into separate files",
        "kind: models\n---\nkind: command",
        "kind: models   # and the command in a file of its own",
    ),
    _d(
        "CG108",
        "empty file",
        "the file is empty or holds only comments",
        "`the file is empty`",
        "write a contract into it or delete it",
        "# TODO",
        "kind: models\nmodels: {}",
    ),
    _d(
        "CG109",
        "mapping key is not a string",
        "a mapping key is a sequence or mapping (`? [a, b]`)",
        "`mapping keys must be plain strings`",
        "use a plain name as the key",
        "? [a, b]\n: value",
        "ab: value",
    ),
    _d(
        "CG110",
        "unclosed quote or bracket",
        "a quote, `[` or `{` opened and not closed: YAML reads on to the next quote (or to "
        "the end of the file) and stops somewhere else; this points at the opening one",
        '`the " opened here is not closed on its line (YAML read on to the " on line 4)`; '
        "`the ' opened here is not closed on its line (it runs to the end of the file)`; "
        "`the '[' opened here is not closed`",
        "end the value with the same quote on its line; close each '[' and '{'",
        'key: "thing.do\nversion: "1.0.0"',
        'key: "thing.do"\nversion: "1.0.0"',
    ),
    _d(
        "CG111",
        "wrong indentation",
        "a line indented where no key or list item of the blocks around it can be; points "
        "at that line (YAML often stops a line later, or reads it as the value above)",
        "`this line is indented more than 'key' on the line above, so YAML reads it as the "
        "rest of the value of 'key'`; `this line is indented 5 spaces, which lines up with no "
        "key above it`; `this line is neither 'key: value' nor indented under the key above "
        "it`",
        "indent the line like the keys it belongs with (the hint says how many spaces)",
        "meta:\n  key: thing.do\n   version: 1.0.0",
        "meta:\n  key: thing.do\n  version: 1.0.0",
    ),
    _d(
        "CG112",
        "tab in the indentation",
        "a tab character indents a line; points at the tab",
        "`a tab character indents this line; YAML indents with spaces only`",
        "replace the tab with spaces",
        "meta:\n\tkey: thing.do",
        "meta:\n  key: thing.do",
    ),
    _d(
        "CG201",
        "unknown key",
        "unknown key; the hint says where the format has a key of that name (`emits` "
        "belongs under `sideEffects`), or suggests the closest key allowed there, or lists them",
        "`unknown key 'descripton'` (hint: did you mean 'description'?); `unknown key 'emits'` "
        "(hint: 'emits' belongs under 'sideEffects')",
        "check the spelling against the keys the hint lists",
        "meta:\n  descripton: Records usage.",
        "meta:\n  description: Records usage.",
    ),
    _d(
        "CG202",
        "missing required key",
        "a required key is missing; points at the mapping that lacks it",
        "`missing required key 'goal' in meta`; `missing required key 'kind'`",
        "add the key the message names",
        "meta:\n  key: usage.record\n  version: 1.0.0",
        "meta:\n  key: usage.record\n  version: 1.0.0\n  goal: Bill what was used.",
    ),
    _d(
        "CG203",
        "wrong value type",
        "a value has the wrong type",
        "`meta.version: expected a string, got a number` (hint: quote the value to keep it a "
        'string, e.g. "1.0.0"); `meta.owners: expected a sequence, got a string`',
        "give the value the type the message names; quote numbers meant as text",
        "owners: team.billing",
        "owners: [team.billing]",
    ),
    _d(
        "CG204",
        "value not allowed",
        "a value is not one of the allowed values, or breaks a rule of the format",
        "`meta.stability: 'stabel' is not allowed; expected one of: idea, in_creation, "
        "experimental, beta, stable, deprecated` (hint: did you mean 'stable'?); "
        "`unknown kind 'comand'`; `a query is always idempotent; 'idempotent: false' "
        "contradicts 'kind: query'`; `enum 'Color' has no values`; `model 'X' has no fields`; "
        "`union 'PaymentMethod' has no members`; `a query returns a result; 'output: null' is "
        "only for a command`; `meta.owners must name at least one owner`",
        "use one of the values the message lists",
        "stability: stabel",
        "stability: stable",
    ),
    _d(
        "CG205",
        "invalid contract key",
        "`meta.key` is not dotted lowerCamel segments",
        "`key 'Thing.Do' must be dotted lowerCamel segments, like 'usage.record'`",
        "at least two segments, each starting with a lower-case letter",
        "key: Usage.Record",
        "key: usage.record",
    ),
    _d(
        "CG206",
        "invalid version",
        "`meta.version` is not a semantic version",
        "`version '1.0' is not a semantic version` (hint: write MAJOR.MINOR.PATCH)",
        'write MAJOR.MINOR.PATCH, e.g. "1.0.0"',
        'version: "1.0"',
        'version: "1.0.0"',
    ),
    _d(
        "CG207",
        "invalid name",
        "a name breaks its naming rule: model, enum or union (PascalCase), field and union "
        "discriminator (lowerCamelCase, no leading digit), enum value (letters, digits, `_`, "
        "`-`, `.`, starting with a letter or digit), union tag (a letter, then letters, digits "
        "and `_`), domain (lower case words joined by `-` or `_`, and not `contractgen_runtime`, "
        "the generated Python runtime's package)",
        "`field name '1st' must be lowerCamelCase (letters and digits)` (hint: names may not "
        "start with a digit ...); `enum value 'dark blue' must be letters, digits, '_', '-' and "
        "'.', starting with a letter or digit` (hint: try 'dark-blue'); `domain 'Bad-Domain' "
        "is not a valid domain name`",
        "follow the naming rule of the kind of name; the hint suggests a spelling",
        'values: ["dark blue"]',
        "values: [dark-blue]",
    ),
    _d(
        "CG208",
        "invalid HTTP status",
        "an error's `http` is outside 400..599",
        "`HTTP status 200 of 'NOT_FOUND' is not an error status`",
        "use a status from 400 to 599",
        "NOT_FOUND: {description: No such meter, http: 200}",
        "NOT_FOUND: {description: No such meter, http: 404}",
    ),
    _d(
        "CG209",
        "invalid error code",
        "an error code or `gqlCode` is not UPPER_SNAKE_CASE",
        "`error code 'notFound' must be UPPER_SNAKE_CASE` (hint: try 'NOT_FOUND')",
        "write error codes in UPPER_SNAKE_CASE",
        "notFound: {description: No such meter, http: 404}",
        "NOT_FOUND: {description: No such meter, http: 404}",
    ),
    _d(
        "CG210",
        "invalid REST transport",
        "`transport.rest.path` is not a valid path, or a `{param}` is not a required scalar or "
        "enum field of the input; `status: 204` (or 205, or a redirect) on an operation with "
        "output; a "
        "`transport.rest.headers` entry that names no top-level scalar or enum input field, a "
        "field already in the path, an invalid or HTTP-owned header name, or a header taken twice; "
        "a `transport.rest.query` entry on a GET or DELETE route, that names no top-level input "
        "field, or a field that travels elsewhere already",
        "`REST path 'v1/do thing' is not a valid path`; `path parameter '{thingId}' must be a "
        "required, non-array scalar or enum field of the input model`; `status 204 answers "
        "without a body, but the operation has an output`; `input field 'thingId' is already a "
        "path parameter` (hint: a field travels in the path, a header or the body, never two of "
        "them); `'Idempotency Key' is not a valid HTTP header name`",
        "start with '/', use plain segments or '{param}' placeholders naming input fields; "
        "send each input field in one place",
        "rest: {method: GET, path: v1/do thing}",
        "rest: {method: GET, path: /v1/things/{thingId}}",
    ),
    _d(
        "CG211",
        "invalid GraphQL field name",
        "`transport.gql.field` is not a GraphQL name",
        "`GraphQL field name 'do-thing' is not a valid GraphQL name`",
        "letters, digits and '_', starting with a letter",
        "gql: {field: do-thing}",
        "gql: {field: doThing}",
    ),
    _d(
        "CG212",
        "unknown field named in policy",
        "`pii` names something that is not a top-level field of the input (or payload) model, "
        "or the operation has no input",
        "`pii names 'nmae', which is not a field of the input model 'DoInput'` (hint: did you "
        "mean 'name'?)",
        "name top-level fields of the input (or payload) model",
        "policy:\n  pii: [nmae]",
        "policy:\n  pii: [name]",
    ),
    _d(
        "CG213",
        "invalid REST answer",
        "an entry of `transport.rest.responses` whose status is not another success "
        "(200, 201, 202, 204, 205, 207), 304 or a redirect (301, 302, 303, 307, 308), "
        "that repeats the main status, that answers with a body on an operation without "
        "output, or that names an `output` for a status without a body",
        "`'404' is not a status a route answers with beside its main one` (hint: an error "
        "status goes in io.errors); `status 201 is the route's main status already`; "
        "`status 202 answers with a body, but the operation has no output`; `status 304 "
        "answers without a body, so it holds no 'DoOutput'`",
        "declare errors in io.errors; give each other answer once, beside the main status",
        "rest:\n  responses:\n    404: {description: Not found}",
        "rest:\n  responses:\n    304: {description: Not modified since If-None-Match}",
    ),
    _d(
        "CG220",
        "field key does not fit the field",
        "a constraint on a type it does not fit (`minLength` on a number, `minimum` on text, "
        "`minItems` without `isArray`), or `isMap` with `isArray`",
        "`minLength does not fit 'count' of type Int`; `minItems fits an array; 'tags' is "
        "not isArray`; `field 'labels' is both isMap and isArray`",
        "text scalars take minLength/maxLength/pattern, number scalars minimum/maximum/"
        "exclusive bounds/multipleOf, arrays minItems/maxItems/uniqueItems",
        "count: {type: Int, minLength: 1}",
        "count: {type: Int, minimum: 1}",
    ),
    _d(
        "CG221",
        "invalid pattern",
        "a `pattern` that Python's `re` cannot compile, or that uses syntax ECMA-262 lacks "
        "(`(?P<name>`, inline flags, `\\A`, `\\Z`, possessive quantifiers, ...)",
        "`pattern '^[a-z' is not a valid regular expression: unterminated character set at "
        "position 1`; `pattern '(?i)^ab$' is not valid in ECMA-262: ECMA-262 has no inline "
        "flags such as (?i)`",
        "write a pattern both Python and JavaScript read the same way",
        'sku: {type: String, pattern: "(?i)^[a-z0-9-]+$"}',
        'sku: {type: String, pattern: "^[A-Za-z0-9-]+$"}',
    ),
    _d(
        "CG222",
        "constraints leave no value",
        "a lower bound above its upper bound: `minLength` above `maxLength`, `minItems` above "
        "`maxItems`, `minimum` above `maximum` (or equal, where a bound is exclusive)",
        "`minimum 10 and maximum 1 of 'limit' leave no value`; `minLength 5 of 'code' is "
        "above maxLength 2`",
        "swap or correct the bounds",
        "limit: {type: Int, minimum: 10, maximum: 1}",
        "limit: {type: Int, minimum: 1, maximum: 10}",
    ),
    _d(
        "CG223",
        "default not allowed",
        "`default` on an optional field (a default already makes the field optional to "
        "send), or `default: null`",
        "`field 'limit' is optional and has a default`; `the default of 'page' is null`",
        "drop isOptional, or drop the default",
        "limit: {type: Int, isOptional: true, default: 20}",
        "limit: {type: Int, default: 20}",
    ),
    _d(
        "CG224",
        "union member without its discriminator",
        "a member model of a union does not declare the union's discriminator as a required, "
        "single `String` field",
        "`member model 'BankTransfer' of union 'PaymentMethod' has no field 'kind'` (hint: "
        "declare the discriminator in 'BankTransfer': kind: {type: String}); `field 'kind' of "
        "'CardPayment' is the discriminator of union 'PaymentMethod': it must be a required, "
        "single String`",
        "declare the discriminator in every member model as a required String",
        "unions:\n  PaymentMethod: {discriminator: kind, members: {card: CardPayment}}\n"
        "models:\n  CardPayment: {fields: {last4: {type: String}}}",
        "unions:\n  PaymentMethod: {discriminator: kind, members: {card: CardPayment}}\n"
        "models:\n  CardPayment: {fields: {kind: {type: String}, last4: {type: String}}}",
    ),
    _d(
        "CG301",
        "unknown type",
        "a field type is not a scalar, model or enum",
        "`type 'Strng' is not a scalar, model or enum` (hint: did you mean 'String'?)",
        "name a scalar, or a model or enum defined in the tree",
        "fields:\n  name: {type: Strng}",
        "fields:\n  name: {type: String}",
    ),
    _d(
        "CG302",
        "unknown model",
        "`io.input`, `io.output`, `payload` or a union member does not name a model",
        "`io.output names unknown model 'DoOutptu'` (hint: did you mean 'DoOutput'?); "
        "`io.input must name a model; 'Color' is not a model`",
        "name a model defined in the tree",
        "io:\n  output: DoOutptu",
        "io:\n  output: DoOutput",
    ),
    _d(
        "CG303",
        "unknown event",
        "an emitted event (key and version) does not exist",
        "`emits unknown event 'thing.done' version 2.0.0` (hint: 'thing.done' exists at "
        "version 1.0.0)",
        "name an event key and a version that the tree defines",
        "emits:\n  - {event: thing.done, version: 2.0.0}",
        "emits:\n  - {event: thing.done, version: 1.0.0}",
    ),
    _d(
        "CG401",
        "duplicate definition",
        "a model, enum or union name defined twice (the note names the first place), an enum value "
        "listed twice, or an example name used twice in one operation",
        "`'DoOutput' is defined twice` (note: contracts/m/a.yaml:19:3: first defined here)",
        "rename or remove one of the two",
        "# a.yaml and b.yaml both define\nmodels:\n  DoOutput: ...",
        "# one file defines DoOutput, the other uses it",
    ),
    _d(
        "CG402",
        "duplicate contract key and version",
        "the same key and version defined twice",
        "`operation 'thing.do' version 1.0.0 is defined twice`",
        "give the new contract a new version, or remove the copy",
        "# two files\nmeta: {key: thing.do, version: 1.0.0}",
        "# one of them\nmeta: {key: thing.do, version: 1.1.0}",
    ),
    _d(
        "CG403",
        "names collide in a generated surface",
        "names that would collide in a generated surface: type names equal up to case, fields "
        "equal up to case, reserved type names (the surfaces' own, and Python's keywords "
        "`False`, `None`, `True`), enum values, domains or error codes that one surface spells "
        "the same (`in-progress` and `in_progress`; `feature-flags` and `feature_flags`; "
        "`LIMIT_2FA` and `LIMIT2FA`, both `Limit2faError` in Python)",
        "`fields 'userId' and 'userID' of 'DoOutput' collide in a generated surface (equal up "
        "to case)`; `model name 'Query' is reserved by a generated surface`",
        "rename one of them so the names differ by more than case",
        "fields:\n  userId: {type: ID}\n  userID: {type: ID}",
        "fields:\n  userId: {type: ID}",
    ),
    _d(
        "CG404",
        "error code with two HTTP statuses in one domain",
        "one error code with two HTTP statuses in one domain",
        "`error code 'NOT_FOUND' has HTTP 410 here but HTTP 404 elsewhere in domain 'm'`",
        "use one status per code in a domain, or a new code for the other meaning",
        "# a.yaml: NOT_FOUND: {http: 404}\n# b.yaml: NOT_FOUND: {http: 410}",
        "# a.yaml: NOT_FOUND: {http: 404}\n# b.yaml: GONE: {http: 410}",
    ),
    _d(
        "CG405",
        "surface route or field defined twice",
        "two contracts produce the same surface name: two versions in one major, two "
        "operations with the same REST route, GraphQL field or operationId, or two contracts "
        "whose keys derive one name (an event's Subscription field, webhook operationId or "
        "emit function; an operation's handler class or its stand-in) in a surface",
        "`operation 'thing.do' has versions 1.0.0 and 1.1.0 in major 1; surfaces carry only "
        "the major, so they would collide`; `REST route 'POST /v1/shared' of 'other.do@1.0.0' "
        "is also produced by 'thing.do@1.0.0'`; `Python name 'm.UnimplementedFooBarHandler' "
        "of 'unimplemented.fooBar@1.0.0' is also produced by 'foo.bar@1.0.0'`",
        "keep one version per major, give each operation its own route and field, and "
        "rename a key that derives another contract's name",
        "# other.do\ntransport:\n  rest: {method: POST, path: /v1/shared}",
        "# other.do\ntransport:\n  rest: {method: POST, path: /v1/other}",
    ),
    _d(
        "CG420",
        "model tagged twice",
        "a model that is a member of several unions (or listed twice in one) gets different "
        "discriminators or tags: on the wire a model carries one tag",
        "`model 'CardPayment' is 'kind: credit' in union 'Refund' but 'kind: card' in union "
        "'PaymentMethod'`",
        "give the model the same discriminator and tag in every union, or use another model",
        "# PaymentMethod: {discriminator: kind, members: {card: CardPayment}}\n"
        "# Refund: {discriminator: kind, members: {credit: CardPayment}}",
        "# PaymentMethod: {discriminator: kind, members: {card: CardPayment}}\n"
        "# Refund: {discriminator: kind, members: {card: CardPayment}}",
    ),
    _d(
        "CG421",
        "model no value can fill",
        "required fields that lead back to their own model (directly, through other models, "
        "or through a union whose every member does): every value would be infinite, so no "
        "client can send one and no server can answer one; reported once per cycle",
        "`no value of 'Node' can be written: its required fields lead back to it (Node -> Node)`",
        "make one field of the cycle optional or a list: an absent field or an empty list "
        "ends a value",
        "Node:\n  fields:\n    name: {type: String}\n    next: {type: Node}",
        "Node:\n  fields:\n    name: {type: String}\n    next: {type: Node, isOptional: true}",
    ),
    _d(
        "CG501",
        "example does not match its model",
        "an example does not match its model; points at the offending value",
        "`example 'ex' input: required field 'name' of 'DoInput' is missing`; `example 'ex' "
        "input: 'BLUE' is not a value of enum 'Color' (RED, GREEN)`; `example 'ex' input: "
        "'at': '2026-13-01 10:00' is not an RFC 3339 date-time with offset, e.g. "
        "2026-01-15T10:00:00Z`; `example 'ex' input: 'colour' is not a field of 'DoInput'`; "
        "`example 'ex' has no input`",
        "make the example a value of its model",
        "examples:\n  - name: ex\n    input: {colour: RED}",
        "examples:\n  - name: ex\n    input: {name: Pen, color: RED}",
    ),
    _d(
        "CG502",
        "default does not fit its field",
        "a `default` that is not a value of the field's type, or breaks its constraints; "
        "checked as an example value is",
        "`default of 'ListInput.limit': 'limit': 500 is above maximum 100`; `default of "
        "'ListInput.status': 'closed' is not a value of enum 'Status' (open, done)`",
        "make the default a value the field accepts",
        "limit: {type: Int, default: 500, maximum: 100}",
        "limit: {type: Int, default: 50, maximum: 100}",
    ),
    _d(
        "CG601",
        "generated output rejected by its consumer",
        "a file made with an override template is rejected by its real consumer (Python does "
        "not compile, SDL does not build with graphql-core, OpenAPI fails "
        "openapi-spec-validator); nothing is written",
        "`generated graphql/schema.graphql is invalid: GraphQL SDL is invalid: Syntax Error: "
        "Expected Name, found <EOF>.` (hint: the override template(s) "
        "graphql/schema.graphql.jinja produced it; nothing was written)",
        "fix the override template the hint names",
        "{# graphql/schema.graphql.jinja #}\ntype Query {",
        "{# graphql/schema.graphql.jinja #}\ntype Query { ping: String }",
    ),
    _d(
        "CG602",
        "template error",
        "a Jinja error in a template, at the template's file and line",
        "`tpl/openapi/document.yaml.jinja:2:1: error[CG602]: template error: Expected an "
        "expression, got 'end of statement block'`",
        "fix the Jinja syntax at the line shown",
        "{{ }}",
        "{{ spec.root }}",
    ),
    _d(
        "CG701",
        "foreign description cannot be imported",
        "the file given to `contractgen import` cannot be read, or is not an OpenAPI 3.0.x "
        "or 3.1.x document; nothing is written",
        "`not an OpenAPI 3.0 or 3.1 document (openapi: None) (at #)`",
        "give an OpenAPI 3.0 or 3.1 document (convert Swagger 2.0 first)",
        "swagger: '2.0'",
        "openapi: 3.1.0",
    ),
    _d(
        "CG702",
        "$ref refused",
        "a `$ref` of the foreign description points outside the document's folder, at a "
        "file that cannot be read, or at nothing; nothing is written",
        "`$ref '../outside.yaml#/Pet' points outside the document's folder; it is refused`; "
        "`$ref '#/components/schemas/Missing' points at nothing`",
        "keep referenced files in the document's folder and fix the pointer",
        "schema: {$ref: '../../etc/shared.yaml#/Pet'}",
        "schema: {$ref: 'shared.yaml#/Pet'}",
    ),
    _d(
        "CG710",
        "dropped on import",
        "an element of the foreign description has no place in a contract and is not "
        "carried (a keyword, a response, a media type, a method the format has no word for)",
        "`response 'default' is not carried (at #/paths/~1pets/get/responses/default)`; "
        "`schema keyword 'readOnly' is not carried (at #/components/schemas/Pet/properties/id/"
        "readOnly)`",
        "carry it by hand in the contract if it matters, or accept the loss",
        "responses:\n  default: {description: Unexpected error}",
        "responses:\n  '500': {description: Unexpected error}",
        level="warning",
    ),
    _d(
        "CG711",
        "approximated on import",
        "an element of the foreign description is carried, but not exactly as written "
        "(a renamed field, null as optional, an array response wrapped in a model, a "
        "security scheme as an auth level)",
        "`'pet_id' is the input field 'petId' (at #/paths/~1pets~1{pet_id}/get/parameters/0/"
        "name)`; `security scheme 'apiKey' is carried as policy.auth 'service'`",
        "check the contract says what the API means; --auth SCHEME=LEVEL picks the level",
        "parameters:\n  - {name: pet_id, in: path}",
        "parameters:\n  - {name: petId, in: path}",
        level="warning",
    ),
)
