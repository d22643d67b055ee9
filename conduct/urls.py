from django.urls import path

from .views import followups, inspections, plans, reports

app_name = "conduct"

P = "kiem-tra-cong-vu/"

urlpatterns = [
    path(P, inspections.inspection_list, name="inspections"),
    path(f"{P}moi/", inspections.inspection_new, name="inspection-new"),
    path(f"{P}khac-phuc/", followups.follow_up_list, name="follow-ups"),
    path(f"{P}khac-phuc/<int:pk>/hoan-thanh/", followups.follow_up_close, name="follow-up-close"),
    path(f"{P}cua-toi/", followups.my_results, name="my-results"),
    path(f"{P}can-bo/<int:pk>/", followups.officer_summary, name="officer"),
    path(f"{P}diem/", reports.scores, name="scores"),
    path(f"{P}bang-dieu-khien/", reports.dashboard_panel, name="dashboard-panel"),
    path(f"{P}ke-hoach/", plans.plan_list, name="plans"),
    path(f"{P}ke-hoach/<int:pk>/", plans.plan_detail, name="plan"),
    path(f"{P}ke-hoach/don-vi/<int:pk>/xoa/", plans.plan_entry_delete, name="plan-entry-delete"),
    path(f"{P}mau-phieu/", plans.checklist_list, name="checklists"),
    path(f"{P}mau-phieu/<int:pk>/du-thao/", plans.version_new, name="version-new"),
    path(f"{P}mau-phieu/phien-ban/<int:pk>/", plans.version_detail, name="version"),
    path(
        f"{P}mau-phieu/phien-ban/<int:pk>/cong-bo/", plans.version_publish, name="version-publish"
    ),
    path(f"{P}mau-phieu/phien-ban/<int:pk>/tieu-chi/", plans.item_save, name="item-save"),
    path(f"{P}mau-phieu/tieu-chi/<int:pk>/xoa/", plans.item_delete, name="item-delete"),
    path(f"{P}<str:public_id>/", inspections.inspection_detail, name="inspection"),
    path(f"{P}<str:public_id>/can-bo/", inspections.inspection_officers, name="officers"),
    path(f"{P}<str:public_id>/danh-gia/", inspections.inspection_tick, name="tick"),
    path(f"{P}<str:public_id>/anh/", inspections.inspection_photo, name="photo"),
    path(f"{P}<str:public_id>/anh/<int:pk>/", inspections.photo_view, name="photo-view"),
    path(f"{P}<str:public_id>/dat-con-lai/", inspections.inspection_fill, name="fill"),
    path(f"{P}<str:public_id>/bieu-duong/", inspections.inspection_commend, name="commend"),
    path(f"{P}<str:public_id>/ket-thuc/", inspections.inspection_complete, name="complete"),
    path(f"{P}<str:public_id>/bien-ban.pdf", inspections.inspection_pdf, name="record-pdf"),
]
