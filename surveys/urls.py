from django.urls import path

from .views import feedback, lookup, ratings, results

app_name = "surveys"

urlpatterns = [
    # Public, no sign-in. /tra-cuu/?ma=CODE&khoa=KEY is printed on every receipt
    # (desk.models.Dossier.public_lookup_url): keep this path.
    path("tra-cuu/", lookup.lookup, name="lookup"),
    path("tra-cuu/giay-to/<str:form>.pdf", lookup.lookup_pdf, name="lookup-pdf"),
    path("danh-gia/", ratings.rate, name="rate"),
    path("danh-gia/khao-sat/", ratings.questionnaire, name="questionnaire"),
    path("danh-gia/quay/<str:token>/", ratings.kiosk, name="kiosk"),
    path("phan-anh/", feedback.published, name="feedback-published"),
    path("phan-anh/gui/", feedback.submit, name="feedback-submit"),
    path("phan-anh/theo-doi/", feedback.follow, name="feedback-follow"),
    # Staff.
    path("quan-ly/quay-danh-gia/", ratings.kiosks, name="kiosks"),
    path("quan-ly/danh-gia-9-tieu-chi/<str:code>/", ratings.evaluation, name="evaluation"),
    path("quan-ly/muc-do-hai-long/", results.results, name="results"),
    path(
        "quan-ly/muc-do-hai-long/bang-dieu-khien/", results.dashboard_panel, name="dashboard-panel"
    ),
    path("phan-anh/quan-ly/", feedback.staff_list, name="feedback-staff"),
    path("phan-anh/quan-ly/moi/", feedback.staff_new, name="feedback-new"),
    path("phan-anh/quan-ly/<int:pk>/", feedback.staff_detail, name="feedback-detail"),
]
