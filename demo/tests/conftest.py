from booking.tests.conftest import now  # noqa: F401  (the frozen Monday morning the demo books around)
