"""What the checks that span domains know about one domain.

The loader checks some rules across the whole tree: a key and version are
defined once, a name (model, enum, GraphQL field, REST route, operationId)
has one owner, a reference names something that exists. An incremental build
loads only the domains an edit touches; it may trust the checks it did not
rerun only when every touched domain still has the same summary, which holds
everything those rules (and the choice of what to load) read of it.
"""

from __future__ import annotations

from typing import Any

from contractgen import naming
from contractgen.spec import Spec


def domain_summary(spec: Spec, domain: str) -> Any:
    """Plain data (marshal-able), equal for two loads exactly when the cross-domain
    rules would judge the domain the same way."""
    ops = [
        (
            op.kind,
            op.key,
            op.version,
            op.file,
            op.input,
            op.output,
            naming.gql_field(op),
            f"{naming.rest_method(op)} {naming.rest_path(op)}",
            naming.operation_id(op),
            tuple((e.event, e.version) for e in op.emits),
            tuple((e.code, e.http) for e in op.errors),
        )
        for op in spec.operations_in(domain)
    ]
    events = [(ev.key, ev.version, ev.file, ev.payload) for ev in spec.events_in(domain)]
    references = spec.references
    models = [(m, spec.model(m).loc.file, references[m][:2]) for m in spec.models_in(domain)]
    enums = [(e, spec.enum(e).loc.file) for e in spec.enums_in(domain)]
    unions = [
        (u, spec.union(u).loc.file, spec.union(u).discriminator, spec.union(u).members)
        for u in spec.unions_in(domain)
    ]
    return {
        "unions": unions,
        "operations": ops,
        "events": events,
        "models": models,
        "enums": enums,
        "files": spec.files_in(domain),
        "deps": spec.domain_deps(domain),
    }
