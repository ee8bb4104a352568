"""The OpenAPI surface's facts and pieces (the protocol of ``contractgen.surfaces``)."""

from __future__ import annotations

from pathlib import Path

from contractgen.load import load
from contractgen.surfaces import Options, openapi

CROSSDOMAIN = Path(__file__).resolve().parent.parent / "fixtures" / "crossdomain" / "contracts"


def test_superseded_keeps_the_highest_version_of_each_major() -> None:
    pairs = [["a", "1.0.0"], ["a", "1.2.0"], ["a", "2.0.0"], ["b", "1.10.0"], ["b", "1.9.0"]]
    assert openapi._superseded(pairs) == [["a", "1.0.0"], ["b", "1.9.0"]]


def test_problem_names_avoid_every_model_name() -> None:
    spec = load(CROSSDOMAIN).spec
    assert spec is not None
    options = Options()
    parts = {d: openapi.facts_part(spec, d, options) for d in spec.domains}
    assert parts["catalog"]["names"] == ["Problem"]
    facts = openapi.finalize(parts, options)
    assert facts["problem"] == "ContractgenProblem"
    assert facts["problems"]["VALIDATION_FAILED"] == "ValidationProblem"
    assert facts["superseded"] == {"operations": [], "events": []}
    assert facts["components"]["schemas/ValidationProblem"][1] == []


def test_a_piece_holds_the_text_of_what_its_domain_defines() -> None:
    spec = load(CROSSDOMAIN).spec
    assert spec is not None
    options = Options()
    facts = openapi.finalize(
        {d: openapi.facts_part(spec, d, options) for d in spec.domains}, options
    )
    piece = openapi.render_domains(spec, options, facts, ["billing"]).pieces["billing"]
    # Orphan is defined here but reached by nothing: its text is kept, the merged
    # document leaves it out.
    assert set(piece["schemas"]) == {"schemas/Invoice", "schemas/InvoiceLookup", "schemas/Orphan"}
    text, refs, file = piece["schemas"]["schemas/Invoice"]
    assert refs == ["schemas/Money", "schemas/Order"]
    assert file.endswith("billing/models.yaml")
    assert text.startswith(openapi.ITEM_INDENT + "type: object\n")
    assert [p[2:4] for p in piece["paths"]] == [
        ["/v1/invoice/get", "get"],
        ["/v1/invoice/lookup", "get"],
    ]
    merged = openapi.render(spec, options)
    document = next(f for f in merged if f.path == "openapi/openapi.yaml").content
    assert "    Orphan:" not in document and "    Invoice:" in document


def test_an_error_codes_problem_schema_avoids_a_model_of_that_name() -> None:
    parts = {
        "a": {"names": ["MetricNotFoundProblem", "Problem"], "codes": ["METRIC_NOT_FOUND"]},
        "b": {"names": [], "codes": ["METRIC_NOT_FOUND", "GONE"]},
    }
    problem, names = openapi.problem_names(parts)
    assert problem == "ContractgenProblem"
    assert names == {
        "FORBIDDEN": "ForbiddenProblem",
        "GONE": "GoneProblem",
        "METRIC_NOT_FOUND": "ContractgenMetricNotFoundProblem",
        "RATE_LIMITED": "RateLimitedProblem",
        "UNAUTHENTICATED": "UnauthenticatedProblem",
        "VALIDATION_FAILED": "ValidationProblem",
    }
