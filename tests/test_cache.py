"""The Redis cache backend (project/cache.py) against the real Redis, database 13."""

import os
import threading

import pytest
import redis

from project.cache import RedisCache
from tests.support.caches import REDIS_TEST_URL


@pytest.fixture
def backend():
    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379; CI must start it")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    cache = RedisCache(REDIS_TEST_URL, {"KEY_PREFIX": "randnotiz-cache-test"})
    cache.clear()
    yield cache
    cache.clear()


def test_one_client_serves_every_call(backend):
    client = backend._cache.get_client("any", write=True)
    assert backend._cache.get_client("other") is client
    backend.set("stamp", "1-2", 30)
    assert backend._cache.get_client("stamp") is client


def test_reads_writes_and_deletes_as_django_redis_cache_does(backend):
    backend.set_many({"a": 1, "b": {"page": b"<p>x</p>"}}, 30)
    assert backend.get_many(["a", "b", "missing"]) == {"a": 1, "b": {"page": b"<p>x</p>"}}
    backend.delete_many(["a"])
    assert backend.get("a") is None
    assert backend.get("b") == {"page": b"<p>x</p>"}


def test_the_shared_client_is_safe_across_threads(backend):
    errors = []

    def work(number):
        try:
            for round_ in range(50):
                key = f"thread-{number}-{round_}"
                backend.set(key, round_, 30)
                assert backend.get(key) == round_
        except Exception as error:  # noqa: BLE001 - reported to the main thread below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert backend.get_many([f"thread-{n}-49" for n in range(8)]) == {
        f"thread-{n}-49": 49 for n in range(8)
    }
