"""Legal forms: CPU time per PDF against a plain one-page WeasyPrint letter.

    .venv/bin/python bench/bench_forms.py [--rounds 30]

Creates (if missing) and migrates the database ``motcua_bench`` (or the one in
DATABASE_URL), then, inside one transaction that is rolled back at the end (the
database is left as it was), puts a typical dossier of the demo ward through the
real services until every form applies: received with the procedure's documents,
handed over, an apology approved, a supplement requested, stopped; and one
registration refused at intake. Then, in rounds, in the same process: a plain
one-page letter (a minimal HTML page of twelve paragraphs in the forms' font,
rendered the plain way, ``HTML(string=...).write_pdf()``), the same letter through
the forms' prepared fonts and stylesheet (the floor: what any page costs), and
each form through ``LegalForm.build`` and ``LegalForm.render``, the path of the
desk:pdf view. Rounds interleave the kinds, so a change of machine load touches
all of them alike; the table gives the median CPU time per render
(``time.process_time``) and the ratio to the plain letter. No SQL counting: the
builders' few queries are inside the form's figure.
"""

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_import import setup_django  # noqa: E402

PARAGRAPH = (
    "Ủy ban nhân dân phường Nha Trang kính gửi Ông/Bà Nguyễn Văn An thông báo về việc "
    "giải quyết hồ sơ đề nghị cấp giấy phép xây dựng đã được tiếp nhận theo quy định."
)


def plain_letter_html(font_url: str) -> str:
    paragraphs = "".join(f"<p>{i}. {PARAGRAPH}</p>" for i in range(1, 13))
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>'
        f'@font-face {{ font-family: "Letter"; src: url("{font_url}/LiberationSerif-Regular.ttf"); }}'
        "@page { size: A4; margin: 20mm 15mm 20mm 30mm; }"
        'html { font-family: "Letter"; font-size: 13pt; }'
        f"</style></head><body>{paragraphs}</body></html>"
    )


def make_dossiers():
    """(dossier, form slug) for every form, from a typical intake at the demo ward."""
    from bench.catalog_data import ensure_agencies, generate_procedures
    from desk.legal_forms import FORMS, applicable_forms
    from desk.services import (
        ApplicantData,
        ReceivedDocument,
        approve_apology,
        hand_over,
        receive_dossier,
        refuse_registered,
        register_online,
        request_supplement,
        stop_dossier,
    )
    from procedures import demo
    from procedures.models import Agency, Procedure, User
    from procedures.services import save_procedure

    ensure_agencies()
    ward = Agency.objects.get(identifier=demo.COMMUNES[0][0])  # Phường Nha Trang
    ward.desk_name = "Trung tâm phục vụ hành chính công phường Nha Trang"
    ward.address = "Trụ sở UBND phường Nha Trang, tỉnh Khánh Hòa"
    ward.save()
    content = generate_procedures(1, seed=5)[0]
    content["code"] = "7.000001"  # clear of the other benchmarks' 1-9.xxxxxx catalogs
    content["agencies"] = [ward.identifier]
    save_procedure(content=content, source="bench")
    procedure = Procedure.objects.get(code=content["code"])

    def staff(username, first, last, **roles):
        return User.objects.create(
            username=f"bench.forms.{username}",
            first_name=first,
            last_name=last,
            agency=ward,
            **roles,
        )

    clerk = staff("clerk", "Lan", "Trần Thị", is_clerk=True)
    officer = staff("officer", "Minh", "Lê Văn", is_officer=True)
    head = staff("head", "Hùng", "Phạm Văn", is_unit_head=True, title="Chủ tịch")
    applicant = ApplicantData(
        name="Nguyễn Văn An",
        id_number="079201001234",
        birth_date=dt.date(1990, 5, 17),
        address="12 Lê Lợi, phường Nha Trang, tỉnh Khánh Hòa",
        phone="0912345678",
        email="an.nguyen@example.vn",
    )
    documents = [ReceivedDocument(name=d.name, originals=1) for d in procedure.documents.all()]
    dossier = receive_dossier(
        agency=ward,
        procedure=procedure,
        variant=None,
        applicant=applicant,
        documents=documents,
        received_by=clerk,
    )
    hand_over(dossier=dossier, version=None, user=clerk, to_agency=ward, to_user=officer)
    dossier.refresh_from_db()
    approve_apology(
        dossier=dossier,
        version=None,
        user=head,
        reason="Phải xác minh thông tin với cơ quan có liên quan",
        new_due_at=dossier.due_at + dt.timedelta(days=7),
    )
    request_supplement(
        dossier=dossier,
        version=None,
        user=officer,
        items=[{"name": documents[0].name, "reason": "Bản sao chưa được chứng thực"}],
        contact_name="Lê Văn Minh",
        contact_phone="0258 3822 123",
    )
    stop_dossier(dossier=dossier, version=None, user=clerk, reason="Không bổ sung hồ sơ")
    refused = register_online(
        agency=ward, procedure=procedure, variant=None, applicant=applicant, documents=documents
    )
    refuse_registered(dossier=refused, version=None, user=clerk, reason="Sai thẩm quyền")
    forms = {}
    for each in (dossier, refused):
        each.refresh_from_db()
        for slug in applicable_forms(each):
            forms[slug] = each
    assert sorted(forms) == sorted(FORMS), forms
    return [(slug, forms[slug]) for slug in FORMS]


def pages(pdf: bytes) -> int:
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    line = next(x for x in out.stdout.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    setup_django()
    import weasyprint
    from django.db import transaction

    from desk.legal_forms import FORMS
    from desk.pdf import _prepared, font_dir

    font_url = font_dir().resolve().as_uri()
    letter = plain_letter_html(font_url)
    fetcher, fonts, stylesheet, _steps = _prepared()

    def plain() -> bytes:
        return weasyprint.HTML(string=letter).write_pdf()

    def prepared() -> bytes:
        return weasyprint.HTML(string=letter, url_fetcher=fetcher).write_pdf(
            stylesheets=[stylesheet], font_config=fonts
        )

    with transaction.atomic():
        kinds = [("plain letter", plain), ("letter, prepared fonts and CSS", prepared)]
        for slug, dossier in make_dossiers():
            form = FORMS[slug]
            kinds.append(
                (
                    slug,
                    lambda form=form, dossier=dossier: form.render(form.build(dossier, full=True)),
                )
            )
        counts = {label: pages(run()) for label, run in kinds}  # also warms every cache
        times: dict[str, list[float]] = {label: [] for label, _run in kinds}
        started = time.perf_counter()
        for _round in range(args.rounds):
            for label, run in kinds:
                cpu = time.process_time()
                run()
                times[label].append(time.process_time() - cpu)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)

    load = os.getloadavg()
    print(
        f"{args.rounds} rounds in {elapsed:.1f} s; load average {load[0]:.2f} {load[1]:.2f} "
        f"{load[2]:.2f}; Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}, "
        f"{os.cpu_count()} CPUs"
    )
    print()
    print("| render | pages | median CPU ms | mean CPU ms | ratio to the plain letter |")
    print("| --- | ---: | ---: | ---: | ---: |")
    base = statistics.median(times["plain letter"])
    for label, _run in kinds:
        median = statistics.median(times[label])
        mean = statistics.fmean(times[label])
        print(
            f"| {label} | {counts[label]} | {median * 1000:.1f} | {mean * 1000:.1f} "
            f"| {median / base:.2f} |"
        )


if __name__ == "__main__":
    main()
