"""Satisfaction figures per agency, officer and period on generated data, the XLSX
export, the dashboard panel, the survey templates' scoring, and who sees what."""

import datetime as dt
import io
import random

import pytest
from django.core.cache import cache

from desk.models import Dossier, Timeliness
from surveys.models import Rating, RatingChoice, SurveyKind, SurveyTemplate
from surveys.results import compute
from surveys.services import (
    Sender,
    SurveyError,
    accept_feedback,
    record_rating,
    submit_feedback,
    submit_survey,
)
from tests.factories import at, make_procedure, make_user, returned

CHOICES = [RatingChoice.VERY_SATISFIED, RatingChoice.SATISFIED, RatingChoice.DISSATISFIED]


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()


@pytest.fixture
def generated(commune, other_commune, clerk, officer):
    """24 returned dossiers at two desks over two months, rated at random (seeded),
    with the expected figures worked out independently of surveys/results.py."""
    rng = random.Random(7)
    other_clerk = make_user(agency=other_commune, roles=("clerk",), username="clerk-cl")
    other_officer = make_user(agency=other_commune, roles=("officer",), username="officer-cl")
    here = make_procedure(agencies=(commune,))
    there = make_procedure(agencies=(other_commune,))
    expected = {"all": [], "commune": [], "officer": [], "months": {}}
    for i in range(24):
        mine = i % 3 != 0
        day = dt.date(2026, 3, 2) + dt.timedelta(days=(i * 3) % 50)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        when = f"{day:%Y-%m-%d} 08:00"
        dossier = (
            returned(clerk, officer, here, when)
            if mine
            else returned(other_clerk, other_officer, there, when)
        )
        if i % 5 == 4:
            continue  # not rated
        choice = rng.choice(CHOICES)
        rating = record_rating(
            dossier=dossier,
            choice=choice,
            reason="Chờ lâu" if choice == RatingChoice.DISSATISFIED else "",
            channel="link",
            now=dossier.returned_at + dt.timedelta(hours=1),
        )
        month = rating.created_at.astimezone(at("2026-01-01 00:00").tzinfo).strftime("%m/%Y")
        expected["all"].append(choice)
        expected["months"].setdefault(month, []).append(choice)
        if mine:
            expected["commune"].append(choice)
            expected["officer"].append(choice)
    return expected


def pct(choices) -> float:
    good = sum(c != RatingChoice.DISSATISFIED for c in choices)
    return round(100 * good / len(choices), 1)


def test_figures_match_the_generated_data(generated, commune, officer):
    everything = compute(agency_ids=None, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert everything.total == len(generated["all"])
    for choice in CHOICES:
        assert everything.distribution[choice] == generated["all"].count(choice)
    assert float(everything.satisfaction) == pct(generated["all"])
    months = {row["month"].strftime("%m/%Y"): row["total"] for row in everything.trend}
    assert months == {m: len(c) for m, c in generated["months"].items()}
    assert len(everything.reasons) == generated["all"].count(RatingChoice.DISSATISFIED)

    mine = compute(agency_ids={commune.pk}, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert mine.total == len(generated["commune"])
    assert float(mine.satisfaction) == pct(generated["commune"])

    per_officer = compute(
        agency_ids=None, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), officer=officer
    )
    assert per_officer.total == len(generated["officer"])
    row = next(r for r in everything.officers if r.officer == officer)
    assert row.ratings == len(generated["officer"])
    assert row.dissatisfied == generated["officer"].count(RatingChoice.DISSATISFIED)


def test_the_period_limits_the_figures(generated):
    march = compute(agency_ids=None, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    assert march.total == len(generated["months"].get("03/2026", []))


def test_the_indicator_counts_late_dossiers_and_complaints(generated, commune, clerk, officer):
    """100% − (% late + % with a complaint or a dissatisfied rating)."""
    finished = Dossier.objects.filter(receiving_agency=commune)
    total = finished.count()
    late = finished.first()
    Dossier.objects.filter(pk=late.pk).update(timeliness=Timeliness.LATE)
    complained = finished.exclude(pk=late.pk).filter(rating__isnull=True).first()
    feedback = submit_feedback(
        agency=commune,
        topic="behaviour",
        title="Thái độ",
        content="Cán bộ không hướng dẫn đầy đủ một lần.",
        sender=Sender(name="Lê Thị Hoa", address="Nha Trang", phone="0905000111"),
        dossier_code=complained.code,
    )
    accept_feedback(feedback=feedback, user=clerk, classification="behaviour", officer=officer)
    dissatisfied = set(
        Rating.objects.filter(agency=commune, choice="dissatisfied").values_list(
            "dossier", flat=True
        )
    )
    r = compute(agency_ids={commune.pk}, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert r.finished == total
    assert r.late == 1
    assert r.complained == len(dissatisfied | {complained.pk})
    expected = 100 - round(100 / total, 1) - round(100 * r.complained / total, 1)
    assert float(r.indicator) == pytest.approx(expected, abs=0.11)
    row = next(x for x in r.officers if x.officer == officer)
    assert row.complaints == 1


def test_results_page_and_xlsx(client, generated, provincial_leader):
    from openpyxl import load_workbook

    client.force_login(provincial_leader)
    page = client.get("/quan-ly/muc-do-hai-long/", {"start": "01/01/2026", "end": "31/12/2026"})
    assert page.status_code == 200
    assert f"data-total>{len(generated['all'])}<" in page.content.decode()
    export = client.get(
        "/quan-ly/muc-do-hai-long/",
        {"start": "01/01/2026", "end": "31/12/2026", "format": "xlsx"},
    )
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(values_only=True)}
    assert summary["Số lượt đánh giá"] == len(generated["all"])
    reasons = list(book["Lý do không hài lòng"].iter_rows(values_only=True))[1:]
    assert len(reasons) == generated["all"].count(RatingChoice.DISSATISFIED)
    text = " ".join(
        str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row
    )
    assert "Nguyễn Văn An" not in text and "079201001234" not in text


def test_a_bad_period_is_a_clear_400(client, provincial_leader):
    client.force_login(provincial_leader)
    response = client.get("/quan-ly/muc-do-hai-long/", {"start": "32/13/2026"})
    assert response.status_code == 400
    assert "dd/mm/yyyy" in response.content.decode()


def test_the_dashboard_panel_with_and_without_htmx(client, generated, provincial_leader):
    client.force_login(provincial_leader)
    partial = client.get(
        "/quan-ly/muc-do-hai-long/bang-dieu-khien/", headers={"HX-Request": "true"}
    )
    assert partial.status_code == 200
    html = partial.content.decode()
    assert "<html" not in html and "satisfaction-panel" in html
    full = client.get("/quan-ly/muc-do-hai-long/bang-dieu-khien/").content.decode()
    assert "<html" in full and "satisfaction-panel" in full


def test_results_are_scoped_and_role_gated(client, generated, clerk, other_commune, commune):
    client.force_login(clerk)
    assert client.get("/quan-ly/muc-do-hai-long/").status_code == 403
    head = make_user(agency=other_commune, roles=("unit_head",), username="head-cl")
    client.force_login(head)
    page = client.get(
        "/quan-ly/muc-do-hai-long/",
        {"start": "01/01/2026", "end": "31/12/2026", "agency": commune.pk},
    )
    assert page.status_code == 400  # not a choice for this user
    own = client.get("/quan-ly/muc-do-hai-long/", {"start": "01/01/2026", "end": "31/12/2026"})
    mine = Rating.objects.filter(agency=other_commune).count()
    assert f"data-total>{mine}<" in own.content.decode()


# ---------------------------------------------------------------- survey templates


def test_default_templates_exist(db):
    assert SurveyTemplate.active(SurveyKind.QUICK) is not None
    assert SurveyTemplate.active(SurveyKind.NINE_CRITERIA).questions.count() == 9
    sipas = SurveyTemplate.active(SurveyKind.SIPAS)
    assert {q.factor for q in sipas.questions.all()} == {
        "access",
        "procedure",
        "civil_servant",
        "result",
        "feedback",
    }


def test_nine_criteria_total_and_configurable_grade(clerk, officer, commune):
    template = SurveyTemplate.active(SurveyKind.NINE_CRITERIA)
    dossier = returned(clerk, officer, make_procedure(agencies=(commune,)))
    questions = list(template.questions.all())
    with pytest.raises(SurveyError, match="đủ mọi câu hỏi"):
        submit_survey(template=template, dossier=dossier, answers={questions[0].pk: 2})
    with pytest.raises(SurveyError):
        submit_survey(template=template, dossier=dossier, answers={q.pk: 3 for q in questions})
    template.grade_bands = [{"min": 0, "label": "Chưa đạt"}, {"min": 15, "label": "Đạt"}]
    template.full_clean()
    template.save()
    answers = {q.pk: 2 for q in questions}
    answers[questions[0].pk] = 0
    response = submit_survey(template=template, dossier=dossier, answers=answers)
    assert (response.total, response.grade) == (16, "Đạt")
    with pytest.raises(SurveyError, match="đã có phiếu"):
        submit_survey(template=template, dossier=dossier, answers=answers)


def test_grade_bands_are_validated(db):
    from django.core.exceptions import ValidationError

    template = SurveyTemplate.active(SurveyKind.NINE_CRITERIA)
    template.grade_bands = [{"min": 10, "label": "Tốt"}]  # nothing from 0
    with pytest.raises(ValidationError):
        template.full_clean()


def test_sipas_questionnaire_by_the_citizen(client, clerk, officer, commune):
    dossier = returned(clerk, officer, make_procedure(agencies=(commune,)))
    template = SurveyTemplate.active(SurveyKind.SIPAS)
    url = f"/danh-gia/khao-sat/?ma={dossier.code}&khoa={dossier.lookup_key}"
    import time_machine

    from surveys.services import rating_deadline

    with time_machine.travel(rating_deadline(dossier) - dt.timedelta(days=1), tick=False):
        assert client.get(url).status_code == 200
        data = {f"q{q.pk}": (5 if q.factor == "access" else 4) for q in template.questions.all()}
        response = client.post(url, data)
        assert "data-thanks" in response.content.decode()
    r = compute(agency_ids=None, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert r.sipas_count == 1
    assert float(r.sipas["access"]) == 5.0 and float(r.sipas["result"]) == 4.0


@pytest.mark.parametrize("answer", ["²", "٥", str(10**30), "x" * 100_000])
def test_questionnaire_answers_that_are_not_scale_points_are_not_counted(
    client, clerk, officer, commune, answer
):
    dossier = returned(clerk, officer, make_procedure(agencies=(commune,)))
    template = SurveyTemplate.active(SurveyKind.SIPAS)
    url = f"/danh-gia/khao-sat/?ma={dossier.code}&khoa={dossier.lookup_key}"
    import time_machine

    from surveys.services import rating_deadline

    with time_machine.travel(rating_deadline(dossier) - dt.timedelta(days=1), tick=False):
        response = client.post(url, {f"q{q.pk}": answer for q in template.questions.all()})
        assert response.status_code < 500
        assert "data-thanks" not in response.content.decode()
    r = compute(agency_ids=None, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert r.sipas_count == 0


def test_nine_criteria_page_for_a_unit_head(client, clerk, officer, unit_head, commune):
    dossier = returned(clerk, officer, make_procedure(agencies=(commune,)))
    template = SurveyTemplate.active(SurveyKind.NINE_CRITERIA)
    client.force_login(unit_head)
    url = f"/quan-ly/danh-gia-9-tieu-chi/{dossier.code}/"
    assert client.get(url).status_code == 200
    client.post(url, {f"q{q.pk}": 2 for q in template.questions.all()})
    assert "18/18" in client.get(url).content.decode()
    client.force_login(clerk)
    assert client.get(url).status_code == 403
