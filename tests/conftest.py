import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("NO_COLOR", "1")


@pytest.fixture(scope="session")
def lexicon_scanner():
    """The lexicon-only scanner with the bundled packs and default configuration."""
    from languagecheck import Scanner

    return Scanner(use_model=False)


@pytest.fixture(autouse=True, scope="session")
def _cache_dir(tmp_path_factory):
    # compiled lexicons go to a throwaway cache, never the developer's home
    os.environ["LANGUAGECHECK_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
