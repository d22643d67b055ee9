from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def home(request: HttpRequest) -> HttpResponse:
    """Citizens land on the catalog; staff on their start page."""
    if not request.user.is_authenticated:
        return redirect("procedures:catalog")
    return render(request, "home.html", {"roles": request.user.roles})


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: the process serves and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
