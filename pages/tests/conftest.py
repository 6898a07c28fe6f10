import pytest


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path):
    """Verification documents and avatars of each test go to a directory of its own."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.PRIVATE_MEDIA_ROOT
