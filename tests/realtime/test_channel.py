"""Two installations sharing one Redis do not see each other's live rooms (issue 16, finding 7):
Redis pub/sub ignores database numbers, so each installation publishes on its own channel."""

from __future__ import annotations

import time

import redis

from app import create_app, socketio_channel
from app.extensions import db, socketio
from config import TestConfig


def _installation(database_url: str, queue: str, channel: str | None = None):
    class _Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        SOCKETIO_MESSAGE_QUEUE = queue
        SOCKETIO_CHANNEL = channel

    return create_app(_Config)


def test_the_default_channel_differs_between_installations():
    first = {"SOCKETIO_CHANNEL": None, "SQLALCHEMY_DATABASE_URI": "postgresql://db/escuelas_qro"}
    second = {"SOCKETIO_CHANNEL": None, "SQLALCHEMY_DATABASE_URI": "postgresql://db/escuelas_gto"}
    assert socketio_channel(first) != socketio_channel(second)
    assert socketio_channel({**first, "SOCKETIO_CHANNEL": "propio"}) == "propio"


def test_an_emit_is_published_on_its_installations_channel_only(app, redis_url, tmp_path):
    listener = redis.Redis.from_url(redis_url).pubsub(ignore_subscribe_messages=True)
    mine = _installation(f"sqlite:///{tmp_path / 'a.sqlite3'}", redis_url, channel=None)
    channel = socketio_channel(mine.config)
    other = socketio_channel({"SOCKETIO_CHANNEL": None, "SQLALCHEMY_DATABASE_URI": "sqlite:///otra"})
    listener.subscribe(channel, other)
    try:
        assert socketio.server.manager.channel == channel
        socketio.emit("slide", {"marca": "qro"}, to="grupo:1", namespace="/sala")
        received = []
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not received:
            message = listener.get_message(timeout=0.2)
            if message:
                received.append(message)
        assert [m["channel"].decode() for m in received] == [channel]
        assert b"qro" in received[0]["data"]
    finally:
        listener.close()
        with mine.app_context():
            db.engine.dispose()
