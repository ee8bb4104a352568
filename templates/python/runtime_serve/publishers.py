"""Where the runtime publishes the events of successful calls.

A handler emits through its typed emitter (the domain's ``emit_<event>``
helpers, into ``ctx.events``): the dispatch gives every call its own outbox,
accepts only the events the operation declares, with valid payloads, and hands
them to the app's publisher only after the handler succeeded and its output
passed its check. A failed call publishes nothing.

Publishers: ``InProcess`` (the default: subscribers in the same process) and
``RedisStreams`` (redis-py's asyncio client, one ``XADD`` per event; the
``events`` extra).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from .. import Emitted
from . import extra_named

if TYPE_CHECKING:
    from redis.asyncio import Redis


class Publisher(Protocol):
    """Publishes the events of one successful call, in the order they were emitted."""

    async def publish(self, events: Sequence[Emitted]) -> None: ...


#: A subscriber of the in-process publisher.
Subscriber = Callable[[Emitted], Awaitable[None] | None]


@dataclass
class InProcess:
    """Keeps every published event (``published``) and calls the subscribers."""

    subscribers: list[Subscriber] = field(default_factory=list[Subscriber])
    published: list[Emitted] = field(default_factory=list[Emitted])
    #: How many published events ``published`` keeps (the oldest go first).
    keep: int = 1000

    def subscribe(self, subscriber: Subscriber) -> None:
        self.subscribers.append(subscriber)

    async def publish(self, events: Sequence[Emitted]) -> None:
        for event in events:
            self.published.append(event)
            del self.published[: max(0, len(self.published) - self.keep)]
            for subscriber in self.subscribers:
                done = subscriber(event)
                if done is not None:
                    await done


def stream_fields(event: Emitted) -> dict[str, str]:
    """An event as the fields of a Redis stream entry."""
    return {
        "key": event.key,
        "version": event.version,
        "payload": json.dumps(event.payload, separators=(",", ":"), sort_keys=True),
    }


def event_of(fields: dict[Any, Any]) -> Emitted:
    """A Redis stream entry (as read, bytes or text) back as an event."""
    text = {
        (k.decode() if isinstance(k, bytes) else k): (
            v.decode() if isinstance(v, bytes) else v
        )
        for k, v in fields.items()
    }
    return Emitted(text["key"], text["version"], json.loads(text["payload"]))


@dataclass
class RedisStreams:
    """Appends each event to a Redis stream (``XADD``), all of one call in one pipeline.

    ``url``: the server (``redis://host:port/db``); the client is made on first use,
    in the server's event loop. ``stream``: the stream's name; ``{key}`` in it is
    replaced by the event's key (one stream per event). ``maxlen``: trims the
    stream approximately.
    """

    url: str = "redis://127.0.0.1:6379/0"
    stream: str = "contractgen:events"
    maxlen: int | None = None
    _client: Redis | None = field(default=None, init=False, repr=False)

    def stream_of(self, event: Emitted) -> str:
        return self.stream.replace("{key}", event.key)

    def client(self) -> Redis:
        if self._client is None:
            with extra_named():
                from redis.asyncio import Redis

            self._client = Redis.from_url(  # pyright: ignore[reportUnknownMemberType]
                self.url, socket_connect_timeout=2
            )
        return self._client

    async def publish(self, events: Sequence[Emitted]) -> None:
        if not events:
            return
        async with self.client().pipeline(transaction=True) as pipe:
            for event in events:
                pipe.xadd(
                    self.stream_of(event),
                    stream_fields(event),  # type: ignore[arg-type]
                    maxlen=self.maxlen,
                    approximate=True,
                )
            await pipe.execute()
