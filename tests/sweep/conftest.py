"""The sweeps' demo: loaded once per test module, rolled back after it."""

import io
import logging

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command

from tests.conftest import rolled_back

from .harness import prepare


def _clear_caches() -> None:
    # This xdist process's own Redis databases: the throttles count by address, and
    # every request here comes from 127.0.0.1.
    for cache in settings.CACHES:
        caches[cache].clear()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    _clear_caches()  # no throttle left over from an earlier module
    # 403, 404 and 405 answers are expected by the thousand; a 5xx fails the test.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    with rolled_back(django_db_blocker):
        call_command("seed_demo", stdout=io.StringIO())
        yield prepare()
    request_log.setLevel(level)
    # The sweeps sign in, look up and rate hundreds of times: the next module in this
    # process (a browser test's lookup) must not find the throttles spent.
    _clear_caches()
