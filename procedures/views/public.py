# Placeholder: the public catalog pages are being written.
from django.http import HttpResponse


def catalog(request):
    return HttpResponse("catalog")


def procedure_detail(request, code):
    return HttpResponse(code)
