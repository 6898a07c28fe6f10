import pytest


@pytest.fixture(autouse=True)
def media_dirs(settings, tmp_path):
    """Uploads of these tests go to a temporary directory, public and private apart."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path
