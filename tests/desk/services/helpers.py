"""What the service tests share: the refusal check and the rows it compares."""

import re

import pytest

from desk.models import (
    ApologyLetter,
    Counter,
    Dossier,
    DossierDocument,
    DossierEvent,
    SupplementRequest,
)
from desk.services import ActionRefused, ReceivedDocument
from tests.factories import at, registered

ITEMS = [{"name": "Bản sao giấy khai sinh", "reason": "Bản nộp bị mờ, không đọc được"}]


def rows(dossier: Dossier | None = None) -> dict[str, list]:
    """Everything a service may write, to compare before and after a refusal."""
    scope = {"dossier_id": dossier.pk} if dossier is not None else {}
    return {
        "dossiers": list(
            Dossier.objects.filter(**({"pk": dossier.pk} if dossier else {})).values()
        ),
        "events": list(DossierEvent.objects.filter(**scope).values()),
        "documents": list(DossierDocument.objects.filter(**scope).values()),
        "supplements": list(SupplementRequest.objects.filter(**scope).values()),
        "apologies": list(ApologyLetter.objects.filter(**scope).values()),
        "counters": list(Counter.objects.order_by("scope").values()),
    }


def assert_vietnamese(message: str) -> None:
    assert re.search(r"[\u00c0-\u1ef9]", message), message


def refused(service, *, dossier: Dossier | None = None, exception=ActionRefused, **kwargs) -> str:
    """Call ``service`` expecting a refusal; assert nothing changed; return the message."""
    before = rows(dossier)
    with pytest.raises(exception) as excinfo:
        service(**({"dossier": dossier} if dossier is not None else {}), **kwargs)
    assert rows(dossier) == before
    assert_vietnamese(excinfo.value.message)
    return excinfo.value.message


def register(procedure, agency, when: str = "2026-03-08 21:00") -> Dossier:
    """Registered online with two digitised documents, waiting for the desk."""
    return registered(
        agency=agency,
        procedure=procedure,
        registered_at=at(when),
        documents=[ReceivedDocument(name="Tờ khai", originals=1), ReceivedDocument(name="CCCD")],
    )
