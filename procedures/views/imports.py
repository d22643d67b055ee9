# Placeholder: the catalog import pages are being written.
from django.http import HttpResponse


def import_upload(request):
    return HttpResponse("import")


def export_catalog(request):
    return HttpResponse("export")
