"""The sweeps' demo: loaded once per test module, rolled back after it."""

import io
import logging

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command

from tests.conftest import rolled_back

from .harness import prepare


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    for cache in settings.CACHES:  # this run's own Redis databases: no throttle left over
        caches[cache].clear()
    # 403, 404 and 405 answers are expected by the thousand; a 5xx fails the test.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    with rolled_back(django_db_blocker):
        call_command("seed_demo", stdout=io.StringIO())
        yield prepare()
    request_log.setLevel(level)
