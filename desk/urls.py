from django.urls import path

from .views import dashboard, documents, dossier, intake, notifications, queues

app_name = "desk"

urlpatterns = [
    path("ho-so/", queues.queue, name="queue"),
    path("ho-so/tiep-nhan/", intake.intake, name="intake"),
    path("ho-so/tiep-nhan/thu-tuc/", intake.procedure_options, name="intake-procedures"),
    path("ho-so/tiep-nhan/xem-han/", intake.deadline_preview, name="intake-preview"),
    path("ho-so/<str:code>/", dossier.dossier_detail, name="detail"),
    path(
        "ho-so/<str:code>/xu-ly/chuyen/can-bo/",
        dossier.hand_over_officers,
        name="hand-over-officers",
    ),
    path("ho-so/<str:code>/xu-ly/<str:action>/", dossier.dossier_action, name="action"),
    path("ho-so/<str:code>/tep/<int:pk>/", dossier.attachment_download, name="attachment"),
    path("ho-so/<str:code>/giay-to/<str:form>.pdf", documents.dossier_pdf, name="pdf"),
    path("so-theo-doi/", documents.tracking_book, name="tracking-book"),
    path("bang-dieu-khien/", dashboard.dashboard_page, name="dashboard"),
    path("bang-dieu-khien/ho-so/", dashboard.dashboard_list, name="dashboard-list"),
    path("bang-dieu-khien/can-bo/", dashboard.officer_view, name="dashboard-officers"),
    path("bang-dieu-khien/bao-cao.pdf", dashboard.dashboard_pdf, name="dashboard-pdf"),
    path("bang-dieu-khien/thu-tuc/", dashboard.dashboard_procedures, name="dashboard-procedures"),
    path("bang-dieu-khien/xuat/<int:pk>/", dashboard.export_status, name="export"),
    path("bang-dieu-khien/xuat/<int:pk>/tai/", dashboard.export_download, name="export-download"),
    path("thong-bao/", notifications.notification_list, name="notifications"),
    path("thong-bao/dem/", notifications.notification_badge, name="notification-badge"),
    path("thong-bao/<int:pk>/mo/", notifications.notification_open, name="notification-open"),
    path("thong-bao/da-doc/", notifications.notification_read_all, name="notifications-read-all"),
]
