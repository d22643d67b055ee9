"""The official record of an inspection (biên bản kiểm tra công vụ): the context
of conduct/templates/conduct/pdf/record.html, rendered by desk.pdf.render_pdf in
the Decree 30/2020 layout. A legal document: Vietnamese whatever the interface."""

from typing import Any

from desk.legal_forms import letterhead
from desk.pdf import vn_date, vn_datetime, vn_long_date, vn_time

from .models import FindingKind, Inspection, Outcome, Scope, Section
from .scores import share
from .services import unit_heads

MARKS = {Outcome.MET: "Đạt", Outcome.NOT_MET: "Không đạt", Outcome.NOT_APPLICABLE: "K.áp dụng"}
# Officers per column block of the results table (A4 portrait holds five).
COLUMNS_PER_TABLE = 5


def _chunks(values: list, size: int) -> list[list]:
    return [values[i : i + size] for i in range(0, len(values), size)] or [[]]


def record_context(inspection: Inspection) -> dict[str, Any]:
    head = letterhead(inspection.inspecting_agency, desk=False)
    items = list(inspection.version.items.all())
    results = {(r.item_id, r.target): r for r in inspection.results.all()}
    officers = [p.officer for p in inspection.present.select_related("officer")]
    samples = list(inspection.samples.select_related("dossier", "dossier__procedure"))
    section_names = dict(Section.choices)

    def mark(item_id: int, target: str) -> str:
        result = results.get((item_id, target))
        return str(MARKS.get(result.outcome, "")) if result else ""

    officer_tables = []
    for block in _chunks(officers, COLUMNS_PER_TABLE):
        rows = [
            {
                "item": item,
                "section": str(section_names[item.section]),
                "marks": [mark(item.pk, f"o{o.pk}") for o in block],
            }
            for item in items
            if item.scope == Scope.OFFICER
        ]
        officer_tables.append({"officers": block, "rows": rows})

    premises = [
        {"item": item, "mark": mark(item.pk, "p"), "note": _note(results, item.pk, "p")}
        for item in items
        if item.scope == Scope.PREMISES
    ]
    process_items = [item for item in items if item.scope == Scope.DOSSIER]
    process = [
        {
            "dossier": sample.dossier,
            "marks": [mark(item.pk, f"d{sample.pk}") for item in process_items],
        }
        for sample in samples
    ]
    tallies = {t.officer_id: t for t in inspection.tallies.all()}
    officer_scores = [
        {
            "officer": o,
            "met": tallies[o.pk].met if o.pk in tallies else 0,
            "not_met": tallies[o.pk].not_met if o.pk in tallies else 0,
            "share": share(tallies[o.pk].met, tallies[o.pk].not_met) if o.pk in tallies else None,
        }
        for o in officers
    ]
    total_met = sum(t.met for t in tallies.values())
    total_not_met = sum(t.not_met for t in tallies.values())
    findings = list(
        inspection.findings.select_related("officer", "item").prefetch_related("follow_ups__owner")
    )
    heads = unit_heads(inspection.agency_id)
    completed = inspection.completed_at or inspection.started_at
    return {
        "title": "Biên bản kiểm tra công vụ",
        "letterhead": head,
        "doc_number": inspection.record_number,
        "dateline": f"{head['place']}, {vn_long_date(inspection.inspected_on)}",
        "inspection": inspection,
        "started": f"{vn_time(inspection.started_at).replace(':', ' giờ ')} phút, {vn_long_date(inspection.inspected_on)}",
        "ended": vn_datetime(completed),
        "ended_time": vn_time(completed).replace(":", " giờ ") + " phút",
        "inspected_on": vn_date(inspection.inspected_on),
        "team": [inspection.lead, *inspection.inspectors.all()],
        "unit_head": heads[0] if heads else None,
        "officers": officers,
        "officer_tables": officer_tables,
        "premises": premises,
        "process_items": process_items,
        "process": process,
        "officer_scores": officer_scores,
        "total_share": share(total_met, total_not_met),
        "total_met": total_met,
        "total_not_met": total_not_met,
        "violations": [f for f in findings if f.kind == FindingKind.VIOLATION],
        "commendations": [f for f in findings if f.kind == FindingKind.COMMENDATION],
        "version": inspection.version,
    }


def _note(results: dict, item_id: int, target: str) -> str:
    result = results.get((item_id, target))
    return result.note if result else ""
