"""The three default survey templates (docs/domain.md §9), which administrators then edit."""

from django.db import migrations

NINE = [
    ("Tổng thời gian giải quyết so với thời gian quy định", "2: sớm hoặc đúng hạn; 1: trễ hạn có xin lỗi; 0: trễ hạn không xin lỗi"),
    ("Thời gian thực hiện tại từng cơ quan tham gia giải quyết", "2: mọi cơ quan đúng hạn; 1: một cơ quan trễ; 0: hơn một cơ quan trễ"),
    ("Số lần phải liên hệ để hoàn thiện hồ sơ", "2: không quá một lần; 1: hai lần; 0: hơn hai lần"),
    ("Số cơ quan, đơn vị phải liên hệ", "2: chỉ Bộ phận một cửa; 1: thêm một cơ quan; 0: nhiều cơ quan"),
    ("Hồ sơ được tiếp nhận và trả kết quả tại Bộ phận một cửa", "2: có; 0: không"),
    ("Thủ tục hành chính được công khai đầy đủ, đúng quy định", "2: đầy đủ; 1: chưa đầy đủ; 0: không công khai"),
    ("Thái độ của cán bộ, công chức", "2: không có phản ánh; 1: có phản ánh chưa được xác minh; 0: có phản ánh nhũng nhiễu, gây phiền hà"),
    ("Tiếp nhận, xử lý phản ánh, kiến nghị", "2: xử lý đúng hạn hoặc không có; 1: trễ hạn; 0: không xử lý"),
    ("Chất lượng dịch vụ công trực tuyến", "2: toàn trình; 1: một phần; 0: không có"),
]

SIPAS = [
    ("access", "Nơi ngồi chờ, trang thiết bị phục vụ người dân tại Bộ phận một cửa"),
    ("access", "Thông tin hướng dẫn, địa chỉ, giờ làm việc dễ tìm, dễ hiểu"),
    ("procedure", "Thủ tục hành chính được niêm yết công khai, đầy đủ, chính xác"),
    ("procedure", "Thành phần hồ sơ, phí, lệ phí và thời hạn giải quyết đúng như công khai"),
    ("civil_servant", "Cán bộ, công chức lịch sự, tôn trọng, hướng dẫn tận tình, đầy đủ một lần"),
    ("civil_servant", "Cán bộ, công chức không gây phiền hà, nhũng nhiễu"),
    ("result", "Kết quả đúng quy định, thông tin trên kết quả chính xác"),
    ("result", "Nhận kết quả đúng hẹn"),
    ("feedback", "Dễ dàng gửi phản ánh, kiến nghị"),
    ("feedback", "Phản ánh, kiến nghị được tiếp nhận, xử lý và trả lời kịp thời"),
]


def seed(apps, schema_editor):
    Template = apps.get_model("surveys", "SurveyTemplate")
    Question = apps.get_model("surveys", "SurveyQuestion")
    if Template.objects.exists():
        return
    Template.objects.create(
        kind="quick",
        name="Đánh giá nhanh mức độ hài lòng",
        intro="Ông/Bà hài lòng thế nào với việc giải quyết hồ sơ này?",
    )
    nine = Template.objects.create(
        kind="nine",
        name="Đánh giá việc giải quyết hồ sơ theo 9 tiêu chí",
        intro="Mỗi tiêu chí chấm 2, 1 hoặc 0 điểm; tối đa 18 điểm.",
    )
    for i, (text, help_text) in enumerate(NINE):
        Question.objects.create(template=nine, order=i, text=text, help_text=help_text)
    sipas = Template.objects.create(
        kind="sipas",
        name="Phiếu khảo sát sự hài lòng (5 yếu tố)",
        intro="Xin Ông/Bà cho điểm từng nội dung theo thang 5 điểm.",
    )
    for i, (factor, text) in enumerate(SIPAS):
        Question.objects.create(template=sipas, order=i, text=text, factor=factor)
