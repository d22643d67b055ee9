import pytest
from django.core.cache import cache

from tests.factories import make_procedure


@pytest.fixture
def clean_cache():
    """Throttle counters and kept lookup pages start empty and leave nothing behind."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def procedure(commune):
    return make_procedure(name="Đăng ký khai sinh", agencies=(commune,), time_value=5)
