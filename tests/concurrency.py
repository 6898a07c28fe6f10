"""Calls made at the same moment, each on a database connection of its own, for the tests of
what two (or fifty) requests at once do."""

import threading

from django.db import connection


def race(calls, *, what="a racing thread"):
    """Run every call at once, each in a thread with its own connection; results in order
    (an exception a call raised takes its place, to be asserted on, never hidden)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as error:  # collected for the test's assertions
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), f"{what} hung"
    return results
