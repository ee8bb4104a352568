"""A reference implementation of the bundled metering contracts, in memory.

Run it with ``contractgen serve --app examples.metering_service:app`` from the
repository root (``generated/python`` must be importable: ``serve`` puts it on
the path), or import ``build_app`` to serve a fresh store.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Generic, TypeVar

from contractgen_runtime.serve import Authenticator, create_app, dev_authenticator
from contractgen_runtime.serve.publishers import Publisher
from metering import (
    BatchTooLargeError,
    Context,
    CreateThresholdInput,
    DefineMetricInput,
    DeleteMetricInput,
    DeleteThresholdInput,
    DuplicateRecordError,
    GetMetricInput,
    GetUsageInput,
    GetUsageOutput,
    GetUsageSummaryInput,
    GetUsageSummaryOutput,
    ListMetricsInput,
    ListMetricsOutput,
    ListThresholdsInput,
    ListThresholdsOutput,
    MetricDefinedEventPayload,
    MetricDefinition,
    MetricKeyExistsError,
    MetricNotFoundError,
    PeriodType,
    RecordUsageBatchInput,
    RecordUsageBatchOutput,
    RecordUsageInput,
    Registry,
    SuccessOutput,
    ThresholdNotFoundError,
    UpdateMetricInput,
    UpdateThresholdInput,
    UsageRecord,
    UsageRecordedEventPayload,
    UsageSummary,
    UsageThreshold,
    emit_metric_defined,
    emit_usage_recorded,
)
from metering.models import AggregationType, ResetPeriod, ThresholdAction
from pydantic import BaseModel
from starlette.applications import Starlette

InputT = TypeVar("InputT")
OutputT = TypeVar("OutputT", bound=BaseModel)

#: The generated SDL the app serves at /graphql.
SCHEMA = Path(__file__).resolve().parent.parent / "generated" / "graphql" / "schema.graphql"
#: The most records one usage.recordBatch call takes.
BATCH_LIMIT = 1000


@dataclass
class Store:
    """Everything the service knows: metrics by key, records, thresholds by id."""

    metrics: dict[str, MetricDefinition] = field(default_factory=dict)
    records: list[UsageRecord] = field(default_factory=list)
    idempotency: set[str] = field(default_factory=set)
    thresholds: dict[str, UsageThreshold] = field(default_factory=dict)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    #: Where the service reads the time (``ticking`` gives a reproducible one).
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def now(self) -> datetime:
        return self.clock()

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_{next(self.ids):04d}"

    def metric(self, key: str) -> MetricDefinition:
        found = self.metrics.get(key)
        if found is None:
            raise MetricNotFoundError(f"metric {key} is not defined")
        return found

    def metric_by_id(self, metric_id: str) -> MetricDefinition:
        for metric in self.metrics.values():
            if metric.id == metric_id:
                return metric
        raise MetricNotFoundError(f"no metric has id {metric_id}")

    def threshold(self, threshold_id: str) -> UsageThreshold:
        found = self.thresholds.get(threshold_id)
        if found is None:
            raise ThresholdNotFoundError(f"no threshold has id {threshold_id}")
        return found


def ticking(start: datetime = datetime(2026, 1, 1, tzinfo=UTC)) -> Callable[[], datetime]:
    """A clock that advances one second per reading, from ``start``."""
    seconds = itertools.count()
    return lambda: start + timedelta(seconds=next(seconds))


@dataclass
class Metrics:
    store: Store

    async def define(self, input: DefineMetricInput, ctx: Context) -> MetricDefinition:
        if input.key in self.store.metrics:
            raise MetricKeyExistsError(f"metric {input.key} exists")
        stamp = self.store.now()
        metric = MetricDefinition(
            id=self.store.new_id("met"),
            key=input.key,
            name=input.name,
            description=input.description,
            unit=input.unit,
            aggregation_type=input.aggregation_type or AggregationType.SUM,
            reset_period=input.reset_period or ResetPeriod.MONTHLY,
            category=input.category,
            is_active=True,
            org_id=input.org_id,
            created_at=stamp,
            updated_at=stamp,
        )
        self.store.metrics[input.key] = metric
        defined = MetricDefinedEventPayload(
            metric_id=metric.id,
            key=metric.key,
            name=metric.name,
            unit=metric.unit,
            aggregation_type=metric.aggregation_type,
            org_id=metric.org_id,
            created_by=ctx.subject_id,
            created_at=stamp,
        )
        emit_metric_defined(ctx.events, defined)
        return metric

    async def update(self, input: UpdateMetricInput, ctx: Context) -> MetricDefinition:
        metric = self.store.metric_by_id(input.metric_id)
        changes = input.model_dump(exclude_none=True, exclude={"metric_id", "metadata"})
        updated = metric.model_copy(update={**changes, "updated_at": self.store.now()})
        self.store.metrics[metric.key] = updated
        return updated

    async def delete(self, input: DeleteMetricInput, ctx: Context) -> SuccessOutput:
        metric = self.store.metric_by_id(input.metric_id)
        del self.store.metrics[metric.key]
        return SuccessOutput(success=True)

    async def get(self, input: GetMetricInput, ctx: Context) -> MetricDefinition:
        return self.store.metric(input.key)

    async def list(self, input: ListMetricsInput, ctx: Context) -> ListMetricsOutput:
        found = [
            m
            for m in self.store.metrics.values()
            if (input.org_id is None or m.org_id == input.org_id)
            and (input.category is None or m.category == input.category)
            and (input.is_active is None or m.is_active == input.is_active)
        ]
        start = input.offset or 0
        page = found[start : start + input.limit] if input.limit is not None else found[start:]
        return ListMetricsOutput(items=page, total=len(found))


@dataclass
class Usage:
    store: Store

    def _record(self, input: RecordUsageInput) -> UsageRecord:
        self.store.metric(input.metric_key)
        if input.idempotency_key is not None:
            if input.idempotency_key in self.store.idempotency:
                raise DuplicateRecordError(f"key {input.idempotency_key} was used")
            self.store.idempotency.add(input.idempotency_key)
        record = UsageRecord(
            id=self.store.new_id("ur"),
            metric_key=input.metric_key,
            subject_type=input.subject_type,
            subject_id=input.subject_id,
            quantity=input.quantity,
            source=input.source,
            resource_id=input.resource_id,
            resource_type=input.resource_type,
            metadata=input.metadata,
            timestamp=input.timestamp or self.store.now(),
            created_at=self.store.now(),
        )
        self.store.records.append(record)
        return record

    async def record(self, input: RecordUsageInput, ctx: Context) -> UsageRecord:
        record = self._record(input)
        recorded = UsageRecordedEventPayload(
            record_id=record.id,
            metric_key=record.metric_key,
            subject_type=record.subject_type,
            subject_id=record.subject_id,
            quantity=record.quantity,
            source=record.source,
            timestamp=record.timestamp,
        )
        emit_usage_recorded(ctx.events, recorded)
        return record

    async def record_batch(
        self, input: RecordUsageBatchInput, ctx: Context
    ) -> RecordUsageBatchOutput:
        if len(input.records) > BATCH_LIMIT:
            raise BatchTooLargeError(f"{len(input.records)} records; at most {BATCH_LIMIT}")
        ids: list[str] = []
        for item in input.records:
            # The batch declares neither METRIC_NOT_FOUND nor DUPLICATE_RECORD: skip those.
            with contextlib.suppress(MetricNotFoundError, DuplicateRecordError):
                ids.append(self._record(item).id)
        skipped = len(input.records) - len(ids)
        return RecordUsageBatchOutput(
            recorded_count=len(ids), skipped_count=skipped, record_ids=ids
        )

    def _matching(self, key: str, kind: str, subject: str) -> list[UsageRecord]:
        self.store.metric(key)
        return [
            r
            for r in self.store.records
            if (r.metric_key, r.subject_type, r.subject_id) == (key, kind, subject)
        ]

    async def get(self, input: GetUsageInput, ctx: Context) -> GetUsageOutput:
        found = [
            r
            for r in self._matching(input.metric_key, input.subject_type, input.subject_id)
            if input.start_date <= r.timestamp < input.end_date
        ]
        start = input.offset or 0
        page = found[start : start + input.limit] if input.limit is not None else found[start:]
        total = sum(r.quantity for r in found)
        return GetUsageOutput(items=page, total=len(found), total_quantity=total)

    async def summary(self, input: GetUsageSummaryInput, ctx: Context) -> GetUsageSummaryOutput:
        found = self._matching(input.metric_key, input.subject_type, input.subject_id)
        end = input.end_date or self.store.now()
        found = [r for r in found if input.start_date <= r.timestamp < end]
        if not found:
            return GetUsageSummaryOutput(items=[], total=0)
        quantities = [r.quantity for r in found]
        summary = UsageSummary(
            id=self.store.new_id("sum"),
            metric_key=input.metric_key,
            subject_type=input.subject_type,
            subject_id=input.subject_id,
            period_type=input.period_type,
            period_start=input.start_date,
            period_end=end,
            total_quantity=sum(quantities),
            record_count=len(found),
            min_quantity=min(quantities),
            max_quantity=max(quantities),
            avg_quantity=sum(quantities) / len(quantities),
        )
        return GetUsageSummaryOutput(items=[summary], total=1)


@dataclass
class Thresholds:
    store: Store

    async def create(self, input: CreateThresholdInput, ctx: Context) -> UsageThreshold:
        self.store.metric(input.metric_key)
        threshold = UsageThreshold(
            id=self.store.new_id("thr"),
            metric_key=input.metric_key,
            subject_type=input.subject_type,
            subject_id=input.subject_id,
            name=input.name,
            threshold=input.threshold,
            warn_threshold=input.warn_threshold,
            period_type=input.period_type or PeriodType.MONTHLY,
            action=input.action or ThresholdAction.ALERT,
            current_value=0.0,
            is_active=True,
            created_at=self.store.now(),
        )
        self.store.thresholds[threshold.id] = threshold
        return threshold

    async def update(self, input: UpdateThresholdInput, ctx: Context) -> UsageThreshold:
        threshold = self.store.threshold(input.threshold_id)
        changes = input.model_dump(
            exclude_none=True, exclude={"threshold_id", "notify_emails", "notify_webhook"}
        )
        updated = threshold.model_copy(update=changes)
        self.store.thresholds[updated.id] = updated
        return updated

    async def delete(self, input: DeleteThresholdInput, ctx: Context) -> SuccessOutput:
        self.store.threshold(input.threshold_id)
        del self.store.thresholds[input.threshold_id]
        return SuccessOutput(success=True)

    async def list(self, input: ListThresholdsInput, ctx: Context) -> ListThresholdsOutput:
        found = [
            t
            for t in self.store.thresholds.values()
            if (input.metric_key is None or t.metric_key == input.metric_key)
            and (input.is_active is None or t.is_active == input.is_active)
        ]
        return ListThresholdsOutput(items=found, total=len(found))


@dataclass(frozen=True)
class Handle(Generic[InputT, OutputT]):
    """A coroutine function as a handler (the registry calls ``handle``)."""

    function: Callable[[InputT, Context], Awaitable[OutputT]]

    async def handle(self, input: InputT, ctx: Context) -> OutputT:
        return await self.function(input, ctx)


def build_registry(store: Store | None = None) -> Registry:
    """A metering registry with every handler, over one store."""
    store = store or Store()
    metrics, usage, thresholds = Metrics(store), Usage(store), Thresholds(store)
    registry = Registry()
    registry.register("metric.define", "1.0.0", Handle(metrics.define))
    registry.register("metric.update", "1.0.0", Handle(metrics.update))
    registry.register("metric.delete", "1.0.0", Handle(metrics.delete))
    registry.register("metric.get", "1.0.0", Handle(metrics.get))
    registry.register("metric.list", "1.0.0", Handle(metrics.list))
    registry.register("usage.record", "1.0.0", Handle(usage.record))
    registry.register("usage.recordBatch", "1.0.0", Handle(usage.record_batch))
    registry.register("usage.get", "1.0.0", Handle(usage.get))
    registry.register("usage.getSummary", "1.0.0", Handle(usage.summary))
    registry.register("threshold.create", "1.0.0", Handle(thresholds.create))
    registry.register("threshold.update", "1.0.0", Handle(thresholds.update))
    registry.register("threshold.delete", "1.0.0", Handle(thresholds.delete))
    registry.register("threshold.list", "1.0.0", Handle(thresholds.list))
    return registry


def build_app(
    store: Store | None = None,
    authenticator: Authenticator = dev_authenticator,
    publisher: Publisher | None = None,
    freeze_heap: bool = True,
) -> Starlette:
    """The whole service over REST, GraphQL and MCP (the development authenticator by
    default; events go to ``publisher``, in-process by default; ``freeze_heap`` as
    create_app takes it)."""
    return create_app(
        build_registry(store),
        graphql=SCHEMA,
        authenticator=authenticator,
        publisher=publisher,
        freeze_heap=freeze_heap,
    )


def reproducible_app() -> Starlette:
    """A fresh service whose clock ticks from a fixed instant: the same calls give the
    same outputs (``contractgen verify --app examples.metering_service:reproducible_app``)."""
    return build_app(Store(clock=ticking()))


app = build_app()
