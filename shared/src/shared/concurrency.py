"""Race tests: run the same work in several threads released at the same instant.

A race test must be able to lose its race, so each thread has its own database connection
(Django gives every thread one) and they all start together at a barrier, as concurrent
requests would. Each thread closes its connections when done: a test database cannot be
dropped while a thread's connection is still open.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connections

T = TypeVar("T")

#: How long a thread waits for the others at the start line before the test is a failure.
START_TIMEOUT = 10.0


def all_at_once(
    count: int, work: Callable[[int], T], *, timeout: float = 60.0
) -> list[T | BaseException]:
    """``work(i)`` for ``i`` in ``range(count)``, each in its own thread, all released together.

    Returns what each call returned, or the exception it raised, in ``i`` order: a race test
    asserts on the mix of outcomes (one success, the rest refused). A thread still running
    after ``timeout`` seconds leaves a ``TimeoutError`` in its place.
    """
    start_line = threading.Barrier(count)
    results: list[T | BaseException] = [
        TimeoutError(f"thread {index} did not finish") for index in range(count)
    ]

    def run(index: int) -> None:
        try:
            start_line.wait(timeout=START_TIMEOUT)
            results[index] = work(index)
        except BaseException as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
