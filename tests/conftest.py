import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def default_language():
    """Start every test in the default language.

    A request to a /ru/ page leaves Russian active in the thread, and reverse() in the next
    test would then build /ru/ addresses.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
