import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded images, their renditions and documents go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
