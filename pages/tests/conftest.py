import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded images, their renditions and documents go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _site_tree():
    """The home page, menu and rights the migrations make (a transactional test elsewhere may have flushed them)."""
    from pages.services import ensure_site_tree

    ensure_site_tree()
