from django.urls import path

from .views import imports, public

app_name = "procedures"

urlpatterns = [
    path("thu-tuc/", public.catalog, name="catalog"),
    path("thu-tuc/<str:code>/", public.procedure_detail, name="detail"),
    path("quan-tri/nhap-danh-muc/", imports.import_upload, name="import"),
    path("quan-tri/nhap-danh-muc/<int:pk>/", imports.import_job, name="import-job"),
    path(
        "quan-tri/nhap-danh-muc/tep-mau.<str:extension>",
        imports.import_example,
        name="import-example",
    ),
    path("quan-tri/xuat-danh-muc.xlsx", imports.export_catalog, name="export"),
]
