import pytest

from booking.tests.conftest import now  # noqa: F401  (the frozen Monday morning the demo books around)


@pytest.fixture(autouse=True)
def _demo_media(settings, tmp_path):
    """The demo's drawn photos (#18) go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
