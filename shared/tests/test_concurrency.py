"""``shared.concurrency.all_at_once``: threads released together, every outcome kept in order."""

from __future__ import annotations

import threading
import time

import pytest

from shared.concurrency import all_at_once


def test_every_thread_has_started_before_any_finishes():
    started: list[int] = []

    def work(index: int) -> int:
        started.append(index)
        time.sleep(0.1)
        return len(started)  # how many had started while this one worked

    assert all_at_once(4, work) == [4, 4, 4, 4]


def test_an_exception_is_returned_in_its_threads_place():
    def work(index: int) -> int:
        if index == 1:
            raise ValueError("refused")
        return index

    outcomes = all_at_once(3, work)

    assert outcomes[0] == 0
    assert isinstance(outcomes[1], ValueError)
    assert outcomes[2] == 2


def test_a_thread_that_outlives_the_timeout_leaves_a_timeout_error():
    release = threading.Event()

    def work(index: int) -> str:
        if index == 0:
            release.wait(5)
        return "done"

    outcomes = all_at_once(2, work, timeout=0.2)
    release.set()

    assert isinstance(outcomes[0], TimeoutError)
    assert outcomes[1] == "done"


@pytest.mark.django_db(transaction=True)
def test_each_thread_works_on_its_own_database_connection():
    from django.db import connections

    def connection_of_this_thread(_index: int) -> int:
        connection = connections["default"]
        connection.ensure_connection()
        return id(connection)

    ids = all_at_once(3, connection_of_this_thread)

    assert len(set(ids)) == 3
    assert id(connections["default"]) not in ids
