"""desk.services: every write bumps the dossier's version once; a stale version is refused."""

from decimal import Decimal

import pytest

from desk.services import (
    StaleDossier,
    hand_over,
    record_supplement,
    request_payment,
    request_supplement,
)
from tests.desk.services.helpers import ITEMS, refused
from tests.factories import fresh
from tests.factories import received as receive

pytestmark = pytest.mark.django_db


def test_every_write_bumps_the_version_once(clerk, officer, procedure, commune) -> None:
    dossier = receive(clerk, procedure)
    versions = [fresh(dossier).version]

    hand_over(dossier=dossier, version=versions[-1], user=clerk, to_agency=commune, to_user=officer)
    versions.append(fresh(dossier).version)
    request_supplement(dossier=dossier, version=versions[-1], user=officer, items=ITEMS)
    versions.append(fresh(dossier).version)
    record_supplement(dossier=dossier, version=versions[-1], user=clerk)
    versions.append(fresh(dossier).version)

    assert versions == [1, 2, 3, 4]
    refused(
        request_payment,
        dossier=dossier,
        exception=StaleDossier,
        version=versions[0],
        user=officer,
        amount=Decimal(0),
    )
