"""The workflow kit (procedures/workflow.py) that desk, surveys and conduct share."""

import pytest

from conduct.services import ConductError
from desk.models import Dossier
from desk.services import ActionRefused, DossierError, StaleDossier
from procedures.workflow import Refused, Stale, locked, save_versioned
from surveys.services import StaleFeedback, SurveyError
from tests.factories import make_dossier


def test_every_apps_refusals_are_one_family():
    for error in (DossierError, ActionRefused, SurveyError, ConductError):
        assert issubclass(error, Refused)
    assert issubclass(StaleDossier, Stale) and issubclass(StaleFeedback, Stale)
    assert ConductError("Không được.").message == str(ConductError("Không được.")) == "Không được."


@pytest.mark.django_db
def test_a_stale_version_is_refused_and_a_save_bumps_the_version(clerk):
    dossier = make_dossier(clerk=clerk)
    seen = dossier.version

    fresh = locked(Dossier.objects.all(), dossier.pk, seen, lambda d: Stale(d.code))
    assert fresh.pk == dossier.pk
    save_versioned(fresh, "delivery")
    assert fresh.version == seen + 1

    with pytest.raises(Stale) as refused:
        locked(Dossier.objects.all(), dossier.pk, seen, lambda d: Stale(d.code))
    assert refused.value.message == dossier.code
    # No version given: not checked.
    assert locked(Dossier.objects.all(), dossier.pk, None, lambda d: Stale("")).pk == dossier.pk
