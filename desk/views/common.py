"""The one permission gate every dossier view goes through."""

from django.http import Http404, HttpRequest

from ..models import Dossier, PersonalDataAccess
from ..permissions import can_see_personal_data


def get_dossier_for_user(request: HttpRequest, code: str) -> Dossier:
    """The dossier ``code`` if the signed-in user may see it; 404 otherwise (a 403
    would confirm to an outsider that the code exists)."""
    qs = Dossier.objects.visible_to(request.user).select_related(
        "procedure",
        "procedure__field",
        "variant",
        "receiving_agency",
        "current_agency",
        "current_holder",
    )
    try:
        return qs.get(code=code)
    except Dossier.DoesNotExist:
        raise Http404 from None


def log_personal_data(
    request: HttpRequest, dossier: Dossier | None, action: str, detail: str = ""
) -> None:
    """Record that the user saw or exported applicants' personal data (Decree 13/2023)."""
    PersonalDataAccess.objects.create(
        user=request.user, dossier=dossier, action=action, detail=detail[:255]
    )


def personal_data_visible(request: HttpRequest, dossier: Dossier) -> bool:
    return can_see_personal_data(request.user, dossier)
