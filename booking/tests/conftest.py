import pytest

from .factories import local

# Monday 2 March 2026, 7:00 in Chicago (CST, UTC-6): the week before daylight saving starts.
MONDAY_MORNING = local(2026, 3, 2, 7)


@pytest.fixture
def now(time_machine):
    """Freeze the clock at MONDAY_MORNING; tests move it with time_machine.move_to."""
    time_machine.move_to(MONDAY_MORNING, tick=False)
    return MONDAY_MORNING
