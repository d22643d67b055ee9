"""The sweep: every URL of the project (tests/sweep/pages.py), on the demo data,
as every demo persona and anonymous, in Vietnamese and English."""

import io

import pytest
from django.core.management import call_command
from django.urls import resolve

from tests.conftest import rolled_back

from . import pages


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        call_command("seed_demo", stdout=io.StringIO())
        demo = pages.load_demo()
        yield demo, pages.demo_pages(demo)


def test_every_url_pattern_is_filled_or_listed_with_a_reason():
    """A page added without a way to fill its address fails here, not in production."""
    assert pages.uncovered() == []
    assert pages.stale() == []
    assert all(reason.strip() for reason in pages.UNFILLED.values())


@pytest.mark.django_db
def test_every_filled_address_resolves_to_its_own_pattern(demo):
    _, every_page = demo
    by_key = {p.key: p for p in pages.patterns()}
    for page in every_page:
        match = resolve(page.url.split("?")[0])
        route = match.route if match.url_name is None else None
        key = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        assert page.key in (key, route) or by_key[page.key].callback is match.func, page
    filled = {p.key for p in every_page}
    missing = [
        p.key for p in pages.patterns() if p.key not in filled and p.key not in pages.UNFILLED
    ]
    assert missing == []
