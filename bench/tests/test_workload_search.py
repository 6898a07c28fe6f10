"""The load benchmark's search row sends the generated matrix as a skewed stream, not eight
fixed searches."""

import pytest

from bench import workload
from catalog.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def test_the_search_row_is_a_skewed_stream_over_the_matrix_mostly_distinct():
    for i in range(12):
        ServiceFactory(title=f"Kitchen leak repair plumbing number {i} drain pipes")
    lines = workload.search_lines()
    assert len(lines) == workload.SEARCH_REQUESTS
    assert all(line.startswith("GET\t/search/") for line in lines)
    assert len(set(lines)) > len(lines) // 2
