"""The desk app's schema in one migration: it replaces 0001_initial … 0014_alert_kinds_from_apps
(squashed in December 2026, issue #13). A database migrated with those is taken
as migrated; one only part-way through them must first be migrated to the end with
the release that still had them. The data steps run at the end: _queue_indexes (0004_queue_indexes), _indicators (0008_seed_indicators), _calendar (0013_calendar_years)."""

import desk.models.alerts
import desk.models.dossier
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from . import _queue_indexes
from . import _indicators
from . import _calendar


class Migration(migrations.Migration):
    replaces = [
        ('desk', '0001_initial'),
        ('desk', '0002_dossiers'),
        ('desk', '0003_alerts'),
        ('desk', '0004_queue_indexes'),
        ('desk', '0005_conduct_alert_kind'),
        ('desk', '0006_dossier_open_step_due'),
        ('desk', '0007_dashboard_stats'),
        ('desk', '0008_seed_indicators'),
        ('desk', '0009_export_jobs_covering_index'),
        ('desk', '0010_dossier_finished_index'),
        ('desk', '0011_job_touched_at'),
        ('desk', '0012_alter_agencydaystats_agency_and_more'),
        ('desk', '0013_calendar_years'),
        ('desk', '0014_alert_kinds_from_apps'),
    ]

    initial = True

    dependencies = [
        ('procedures', '0001_initial_squashed'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CalendarDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(unique=True, verbose_name='ngày')),
                ('kind', models.CharField(choices=[('day_off', 'Ngày nghỉ'), ('working_day', 'Ngày làm việc bù')], help_text='Để bỏ một ngày nghỉ đã nạp sẵn, hãy đổi thành “Ngày làm việc bù” thay vì xóa: ngày đã xóa sẽ được nạp lại.', max_length=12, verbose_name='loại ngày')),
                ('name', models.CharField(max_length=255, verbose_name='tên')),
                ('note', models.TextField(blank=True, help_text='Ví dụ: căn cứ thông báo của Bộ Nội vụ, hoặc lý do điều chỉnh.', verbose_name='ghi chú')),
                ('source', models.CharField(choices=[('holidays', 'Lịch nghỉ lễ, Tết mặc định'), ('admin', 'Quản trị viên')], default='admin', max_length=10, verbose_name='nguồn')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='tạo lúc')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='cập nhật lúc')),
            ],
            options={
                'verbose_name': 'ngày nghỉ, ngày làm việc bù',
                'verbose_name_plural': 'lịch ngày nghỉ, ngày làm việc bù',
                'ordering': ['date'],
            },
        ),
        migrations.CreateModel(
            name='Counter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scope', models.CharField(max_length=100, unique=True, verbose_name='phạm vi')),
                ('last', models.PositiveIntegerField(default=0, verbose_name='số cuối')),
            ],
        ),
        migrations.CreateModel(
            name='Indicator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, unique=True, verbose_name='mã')),
                ('group', models.CharField(max_length=100, verbose_name='nhóm')),
                ('name', models.CharField(max_length=255, verbose_name='tên chỉ tiêu')),
                ('max_points', models.DecimalField(decimal_places=2, max_digits=5, verbose_name='điểm tối đa')),
                ('threshold', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='ngưỡng (%)')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
            ],
            options={
                'verbose_name': 'chỉ tiêu đánh giá',
                'verbose_name_plural': 'chỉ tiêu đánh giá (Quyết định 766)',
                'ordering': ['order', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ScanMark',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=50, unique=True, verbose_name='tên')),
                ('scanned_until', models.DateTimeField(verbose_name='đã quét đến')),
            ],
        ),
        migrations.CreateModel(
            name='CalendarYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(unique=True, verbose_name='năm')),
                ('loaded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='nạp lúc')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='xác nhận lúc')),
                ('basis', models.CharField(blank=True, help_text='Ví dụ: Thông báo số …/TB-BNV của Bộ Nội vụ về lịch nghỉ Tết.', max_length=255, verbose_name='căn cứ xác nhận')),
                ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người xác nhận')),
            ],
            options={
                'verbose_name': 'năm của lịch làm việc',
                'verbose_name_plural': 'các năm của lịch làm việc',
                'ordering': ['year'],
            },
        ),
        migrations.CreateModel(
            name='Dossier',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=40, unique=True, verbose_name='mã hồ sơ')),
                ('lookup_key', models.CharField(default=desk.models.dossier.new_lookup_key, max_length=16, verbose_name='mã tra cứu')),
                ('current_step_due_at', models.DateTimeField(blank=True, null=True, verbose_name='hạn của bước hiện tại')),
                ('channel', models.CharField(choices=[('desk', 'Trực tiếp'), ('post', 'Qua bưu chính công ích'), ('online', 'Trực tuyến')], default='desk', max_length=10, verbose_name='hình thức nộp')),
                ('state', models.PositiveSmallIntegerField(choices=[(1, 'Mới đăng ký'), (2, 'Đã tiếp nhận'), (3, 'Không tiếp nhận'), (4, 'Đang xử lý'), (5, 'Chờ bổ sung'), (6, 'Chờ thực hiện nghĩa vụ tài chính'), (7, 'Công dân yêu cầu rút hồ sơ'), (8, 'Dừng xử lý'), (9, 'Đã xử lý xong'), (10, 'Đã trả kết quả')], default=1, verbose_name='trạng thái')),
                ('summary', models.CharField(blank=True, max_length=500, verbose_name='trích yếu')),
                ('sets_count', models.PositiveSmallIntegerField(default=1, verbose_name='số bộ hồ sơ')),
                ('applicant_name', models.CharField(max_length=255, verbose_name='họ và tên người yêu cầu')),
                ('applicant_id_number', models.CharField(max_length=12, validators=[django.core.validators.RegexValidator('^\\d{12}$', 'Số định danh cá nhân gồm đúng 12 chữ số.', code='invalid_id_number')], verbose_name='số định danh cá nhân')),
                ('applicant_birth_date', models.DateField(blank=True, null=True, verbose_name='ngày sinh')),
                ('applicant_address', models.CharField(blank=True, max_length=500, verbose_name='địa chỉ')),
                ('applicant_phone', models.CharField(blank=True, max_length=15, validators=[django.core.validators.RegexValidator('^(\\+84|0)\\d{9,10}$', 'Số điện thoại không hợp lệ (ví dụ 0912345678 hoặc +84912345678).', code='invalid_phone')], verbose_name='số điện thoại')),
                ('applicant_email', models.EmailField(blank=True, max_length=254, verbose_name='thư điện tử')),
                ('filer_name', models.CharField(blank=True, max_length=255, verbose_name='người nộp thay')),
                ('filer_id_number', models.CharField(blank=True, max_length=12, validators=[django.core.validators.RegexValidator('^\\d{12}$', 'Số định danh cá nhân gồm đúng 12 chữ số.', code='invalid_id_number')], verbose_name='số định danh người nộp thay')),
                ('filer_phone', models.CharField(blank=True, max_length=15, validators=[django.core.validators.RegexValidator('^(\\+84|0)\\d{9,10}$', 'Số điện thoại không hợp lệ (ví dụ 0912345678 hoặc +84912345678).', code='invalid_phone')], verbose_name='điện thoại người nộp thay')),
                ('filer_address', models.CharField(blank=True, max_length=500, verbose_name='địa chỉ người nộp thay')),
                ('power_of_attorney', models.CharField(blank=True, max_length=255, verbose_name='giấy ủy quyền')),
                ('applicant_folded', models.CharField(default='', editable=False, max_length=255, verbose_name='tên người nộp (không dấu)')),
                ('received_at', models.DateTimeField(blank=True, null=True, verbose_name='ngày tiếp nhận')),
                ('due_at', models.DateTimeField(blank=True, null=True, verbose_name='ngày hẹn trả')),
                ('original_due_at', models.DateTimeField(blank=True, null=True, verbose_name='ngày hẹn trả ban đầu')),
                ('paused_at', models.DateTimeField(blank=True, null=True, verbose_name='tạm dừng từ')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='ngày có kết quả')),
                ('returned_at', models.DateTimeField(blank=True, null=True, verbose_name='ngày trả kết quả')),
                ('timeliness', models.CharField(blank=True, choices=[('early', 'Trước hạn'), ('on_time', 'Đúng hạn'), ('late', 'Quá hạn')], max_length=8, verbose_name='kết quả đúng hạn')),
                ('supplement_count', models.PositiveSmallIntegerField(default=0, verbose_name='số lần yêu cầu bổ sung')),
                ('extended', models.BooleanField(default=False, verbose_name='đã gia hạn')),
                ('refusal_reason', models.TextField(blank=True, verbose_name='lý do từ chối')),
                ('intake_guidance', models.TextField(blank=True, verbose_name='hướng dẫn hoàn thiện khi tiếp nhận')),
                ('result_number', models.CharField(blank=True, max_length=100, verbose_name='số, ký hiệu kết quả')),
                ('result_signer', models.CharField(blank=True, max_length=255, verbose_name='người ký kết quả')),
                ('result_summary', models.TextField(blank=True, verbose_name='kết quả giải quyết')),
                ('delivery', models.CharField(choices=[('desk', 'Nhận trực tiếp tại Bộ phận một cửa'), ('post', 'Qua dịch vụ bưu chính công ích'), ('online', 'Trực tuyến')], default='desk', max_length=10, verbose_name='hình thức nhận kết quả')),
                ('fee_amount', models.DecimalField(decimal_places=0, default=0, max_digits=14, verbose_name='phí, lệ phí (đồng)')),
                ('fee_paid_at', models.DateTimeField(blank=True, null=True, verbose_name='đã nộp phí lúc')),
                ('tracking_number', models.PositiveIntegerField(blank=True, null=True, verbose_name='số thứ tự sổ theo dõi')),
                ('version', models.PositiveIntegerField(default=1, verbose_name='phiên bản')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='thời điểm tạo')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='thời điểm cập nhật')),
                ('current_agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='held_dossiers', to='procedures.agency', verbose_name='đơn vị đang xử lý')),
                ('current_holder', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='held_dossiers', to=settings.AUTH_USER_MODEL, verbose_name='người đang xử lý')),
                ('procedure', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='dossiers', to='procedures.procedure', verbose_name='thủ tục')),
                ('received_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='received_dossiers', to=settings.AUTH_USER_MODEL, verbose_name='cán bộ tiếp nhận')),
                ('receiving_agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='received_dossiers', to='procedures.agency', verbose_name='nơi tiếp nhận')),
                ('variant', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='procedures.procedurevariant', verbose_name='trường hợp')),
            ],
            options={
                'verbose_name': 'hồ sơ',
                'verbose_name_plural': 'hồ sơ',
                'ordering': ['-received_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ApologyLetter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('draft', 'Dự thảo'), ('approved', 'Đã ký ban hành')], default='draft', max_length=10, verbose_name='trạng thái')),
                ('reason', models.TextField(blank=True, verbose_name='lý do chậm trễ')),
                ('original_due_at', models.DateTimeField(verbose_name='ngày hẹn trả ban đầu')),
                ('new_due_at', models.DateTimeField(blank=True, null=True, verbose_name='ngày hẹn trả mới')),
                ('drafted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm soạn')),
                ('signed_at', models.DateTimeField(blank=True, null=True, verbose_name='ngày ký')),
                ('is_late', models.BooleanField(default=False, verbose_name='ban hành muộn')),
                ('pdf', models.FileField(blank=True, upload_to='apologies/', verbose_name='tệp PDF')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='procedures.agency', verbose_name='cơ quan')),
                ('drafted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người soạn')),
                ('signed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người ký')),
                ('dossier', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='apologies', to='desk.dossier', verbose_name='hồ sơ liên quan')),
            ],
            options={
                'verbose_name': 'văn bản xin lỗi',
                'verbose_name_plural': 'văn bản xin lỗi',
                'ordering': ['-drafted_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Alert',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject', models.CharField(blank=True, max_length=100, verbose_name='đối tượng')),
                ('kind', models.CharField(choices=desk.models.alerts.alert_kind_choices, max_length=20, verbose_name='loại')),
                ('deadline_at', models.DateTimeField(verbose_name='thời hạn')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm tạo')),
                ('dossier', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='alerts', to='desk.dossier', verbose_name='hồ sơ liên quan')),
            ],
            options={
                'verbose_name': 'cảnh báo',
                'verbose_name_plural': 'cảnh báo',
            },
        ),
        migrations.CreateModel(
            name='DossierDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=1000, verbose_name='tên giấy tờ')),
                ('originals', models.PositiveSmallIntegerField(default=0, verbose_name='bản chính')),
                ('certified_copies', models.PositiveSmallIntegerField(default=0, verbose_name='bản sao chứng thực')),
                ('copies', models.PositiveSmallIntegerField(default=0, verbose_name='bản sao')),
                ('digitised', models.BooleanField(default=False, verbose_name='đã số hóa')),
                ('supplied_later', models.BooleanField(default=False, verbose_name='nộp bổ sung')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
                ('dossier', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='documents', to='desk.dossier', verbose_name='hồ sơ liên quan')),
            ],
            options={
                'verbose_name': 'giấy tờ đã nhận',
                'verbose_name_plural': 'giấy tờ đã nhận',
                'ordering': ['order', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='DossierAttachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(upload_to=desk.models.dossier.attachment_path, verbose_name='tệp')),
                ('original_name', models.CharField(max_length=255, verbose_name='tên tệp')),
                ('content_type', models.CharField(max_length=100, verbose_name='kiểu tệp')),
                ('size', models.PositiveIntegerField(verbose_name='kích thước')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='thời điểm tải lên')),
                ('dossier', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='desk.dossier', verbose_name='hồ sơ liên quan')),
                ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người tải lên')),
                ('document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='attachments', to='desk.dossierdocument', verbose_name='giấy tờ')),
            ],
            options={
                'verbose_name': 'tệp đính kèm',
                'verbose_name_plural': 'tệp đính kèm',
                'ordering': ['uploaded_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='DossierEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('register', 'Đăng ký trực tuyến'), ('receive', 'Tiếp nhận hồ sơ'), ('guide', 'Hướng dẫn bổ sung khi tiếp nhận'), ('refuse', 'Từ chối tiếp nhận'), ('hand_over', 'Chuyển xử lý'), ('request_supplement', 'Yêu cầu bổ sung hồ sơ'), ('supply', 'Nhận hồ sơ bổ sung'), ('request_payment', 'Thông báo nghĩa vụ tài chính'), ('confirm_payment', 'Xác nhận hoàn thành nghĩa vụ tài chính'), ('apologise', 'Xin lỗi và hẹn lại ngày trả'), ('request_withdrawal', 'Công dân yêu cầu rút hồ sơ'), ('stop', 'Dừng xử lý'), ('complete', 'Hoàn thành xử lý'), ('return', 'Trả kết quả'), ('correct', 'Điều chỉnh trạng thái'), ('recompute', 'Tính lại hạn xử lý'), ('note', 'Ghi chú')], max_length=20, verbose_name='hành động')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm')),
                ('from_state', models.PositiveSmallIntegerField(blank=True, choices=[(1, 'Mới đăng ký'), (2, 'Đã tiếp nhận'), (3, 'Không tiếp nhận'), (4, 'Đang xử lý'), (5, 'Chờ bổ sung'), (6, 'Chờ thực hiện nghĩa vụ tài chính'), (7, 'Công dân yêu cầu rút hồ sơ'), (8, 'Dừng xử lý'), (9, 'Đã xử lý xong'), (10, 'Đã trả kết quả')], null=True, verbose_name='từ trạng thái')),
                ('to_state', models.PositiveSmallIntegerField(blank=True, choices=[(1, 'Mới đăng ký'), (2, 'Đã tiếp nhận'), (3, 'Không tiếp nhận'), (4, 'Đang xử lý'), (5, 'Chờ bổ sung'), (6, 'Chờ thực hiện nghĩa vụ tài chính'), (7, 'Công dân yêu cầu rút hồ sơ'), (8, 'Dừng xử lý'), (9, 'Đã xử lý xong'), (10, 'Đã trả kết quả')], null=True, verbose_name='đến trạng thái')),
                ('step_due_at', models.DateTimeField(blank=True, null=True, verbose_name='hạn bước')),
                ('step_finished_at', models.DateTimeField(blank=True, null=True, verbose_name='hoàn thành bước lúc')),
                ('step_timeliness', models.CharField(blank=True, choices=[('early', 'Trước hạn'), ('on_time', 'Đúng hạn'), ('late', 'Quá hạn')], max_length=8, verbose_name='kết quả bước')),
                ('note', models.TextField(blank=True, verbose_name='ghi chú')),
                ('data', models.JSONField(blank=True, default=dict, verbose_name='dữ liệu')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người thực hiện')),
                ('dossier', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='desk.dossier', verbose_name='hồ sơ liên quan')),
                ('from_agency', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='procedures.agency', verbose_name='từ đơn vị')),
                ('from_user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='từ người')),
                ('to_agency', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='procedures.agency', verbose_name='đến đơn vị')),
                ('to_user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='đến người')),
            ],
            options={
                'verbose_name': 'sự kiện hồ sơ',
                'verbose_name_plural': 'quá trình xử lý hồ sơ',
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ExportJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=255, verbose_name='tiêu đề')),
                ('params', models.JSONField(default=dict, verbose_name='tham số')),
                ('status', models.CharField(choices=[('pending', 'Đang chờ'), ('running', 'Đang xuất'), ('done', 'Xong'), ('failed', 'Lỗi')], default='pending', max_length=10, verbose_name='trạng thái')),
                ('total', models.PositiveIntegerField(default=0, verbose_name='tổng')),
                ('done', models.PositiveIntegerField(default=0, verbose_name='đã xong')),
                ('file', models.FileField(blank=True, upload_to='exports/', verbose_name='tệp')),
                ('error', models.TextField(blank=True, verbose_name='lỗi')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='thời điểm tạo')),
                ('touched_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm cập nhật tiến độ')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='thời điểm hoàn thành')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người dùng')),
            ],
            options={
                'verbose_name': 'tệp xuất danh sách',
                'verbose_name_plural': 'tệp xuất danh sách',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=desk.models.alerts.alert_kind_choices, max_length=20, verbose_name='loại')),
                ('title', models.CharField(max_length=255, verbose_name='tiêu đề')),
                ('body', models.TextField(blank=True, verbose_name='nội dung')),
                ('link', models.CharField(blank=True, max_length=500, verbose_name='liên kết')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm tạo')),
                ('deliver_after', models.DateTimeField(default=django.utils.timezone.now, verbose_name='gửi sau thời điểm')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='thời điểm đọc')),
                ('email_to', models.EmailField(blank=True, max_length=254, verbose_name='gửi thư đến')),
                ('email_status', models.CharField(choices=[('pending', 'Chờ gửi'), ('sending', 'Đang gửi'), ('sent', 'Đã gửi'), ('failed', 'Gửi lỗi'), ('skipped', 'Không gửi thư')], default='pending', max_length=10, verbose_name='trạng thái thư')),
                ('email_claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='thời điểm nhận gửi thư')),
                ('email_sent_at', models.DateTimeField(blank=True, null=True, verbose_name='thời điểm gửi thư')),
                ('email_attempts', models.PositiveSmallIntegerField(default=0, verbose_name='số lần gửi thư')),
                ('alerts', models.ManyToManyField(blank=True, related_name='notifications', to='desk.alert')),
                ('recipient', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='người nhận')),
            ],
            options={
                'verbose_name': 'thông báo',
                'verbose_name_plural': 'thông báo',
            },
        ),
        migrations.CreateModel(
            name='DeliveryAttempt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm')),
                ('channel', models.CharField(default='email', max_length=10, verbose_name='kênh')),
                ('status', models.CharField(choices=[('pending', 'Chờ gửi'), ('sending', 'Đang gửi'), ('sent', 'Đã gửi'), ('failed', 'Gửi lỗi'), ('skipped', 'Không gửi thư')], max_length=10, verbose_name='trạng thái')),
                ('error', models.TextField(blank=True, verbose_name='lỗi')),
                ('notification', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attempts', to='desk.notification', verbose_name='thông báo')),
            ],
            options={
                'verbose_name': 'lần gửi thông báo',
                'verbose_name_plural': 'nhật ký gửi thông báo',
                'ordering': ['-at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='PersonalDataAccess',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(max_length=20, verbose_name='hành động')),
                ('detail', models.CharField(blank=True, max_length=255, verbose_name='chi tiết')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='thời điểm')),
                ('dossier', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='desk.dossier', verbose_name='hồ sơ liên quan')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người dùng')),
            ],
            options={
                'verbose_name': 'truy cập dữ liệu cá nhân',
                'verbose_name_plural': 'nhật ký truy cập dữ liệu cá nhân',
                'ordering': ['-at'],
            },
        ),
        migrations.CreateModel(
            name='ProcedureMonthStats',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='The first day of the month.', verbose_name='tháng')),
                ('finished', models.PositiveIntegerField(default=0, verbose_name='số hồ sơ đã giải quyết')),
                ('processing_seconds', models.BigIntegerField(default=0, verbose_name='thời gian xử lý (giây)')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='thời điểm cập nhật')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='procedures.agency', verbose_name='cơ quan')),
                ('procedure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='procedures.procedure', verbose_name='thủ tục')),
            ],
            options={
                'verbose_name': 'số liệu tháng của thủ tục',
                'verbose_name_plural': 'số liệu tháng của thủ tục',
            },
        ),
        migrations.CreateModel(
            name='SupplementRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='ngày yêu cầu')),
                ('items', models.JSONField(verbose_name='nội dung cần bổ sung')),
                ('contact_name', models.CharField(blank=True, max_length=255, verbose_name='cán bộ liên hệ')),
                ('contact_phone', models.CharField(blank=True, max_length=30, verbose_name='điện thoại liên hệ')),
                ('is_override', models.BooleanField(default=False, verbose_name='yêu cầu bổ sung lần thứ hai (ngoại lệ)')),
                ('override_reason', models.TextField(blank=True, verbose_name='lý do ngoại lệ')),
                ('supplied_at', models.DateTimeField(blank=True, null=True, verbose_name='ngày nhận đủ bổ sung')),
                ('paused_hours', models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True, verbose_name='số giờ làm việc tạm dừng')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='procedures.agency', verbose_name='cơ quan yêu cầu')),
                ('dossier', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='supplements', to='desk.dossier', verbose_name='hồ sơ liên quan')),
                ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người yêu cầu')),
            ],
            options={
                'verbose_name': 'yêu cầu bổ sung hồ sơ',
                'verbose_name_plural': 'yêu cầu bổ sung hồ sơ',
                'ordering': ['requested_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='AgencyDayStats',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='ngày')),
                ('received', models.PositiveIntegerField(default=0, verbose_name='số hồ sơ tiếp nhận')),
                ('received_online', models.PositiveIntegerField(default=0, verbose_name='tiếp nhận trực tuyến')),
                ('received_digitised', models.PositiveIntegerField(default=0, verbose_name='tiếp nhận đã số hóa')),
                ('finished_early', models.PositiveIntegerField(default=0, verbose_name='giải quyết trước hạn')),
                ('finished_on_time', models.PositiveIntegerField(default=0, verbose_name='giải quyết đúng hạn')),
                ('finished_late', models.PositiveIntegerField(default=0, verbose_name='giải quyết quá hạn')),
                ('processing_seconds', models.BigIntegerField(default=0, verbose_name='thời gian xử lý (giây)')),
                ('apologies_on_time', models.PositiveIntegerField(default=0, verbose_name='số phiếu xin lỗi gửi đúng hạn')),
                ('apologies_late', models.PositiveIntegerField(default=0, verbose_name='số phiếu xin lỗi gửi muộn')),
                ('multi_supplement', models.PositiveIntegerField(default=0, verbose_name='bổ sung nhiều lần')),
                ('open_within_term', models.PositiveIntegerField(blank=True, null=True, verbose_name='đang xử lý trong hạn')),
                ('open_overdue', models.PositiveIntegerField(blank=True, null=True, verbose_name='đang xử lý quá hạn')),
                ('open_supplement', models.PositiveIntegerField(blank=True, null=True, verbose_name='đang chờ bổ sung')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='thời điểm cập nhật')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='procedures.agency', verbose_name='cơ quan')),
            ],
            options={
                'verbose_name': 'số liệu ngày của cơ quan',
                'verbose_name_plural': 'số liệu ngày của cơ quan',
                'indexes': [models.Index(fields=['day', 'agency'], name='agency_day_stats_day')],
                'constraints': [models.UniqueConstraint(fields=('agency', 'day'), name='agency_day_stats_unique')],
            },
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['current_agency', '-received_at', '-id'], name='dossier_agency_recv'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['receiving_agency', '-received_at', '-id'], name='dossier_desk_recv'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['current_holder', 'state'], name='dossier_holder_state'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['-received_at', '-id'], name='dossier_recv'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['applicant_id_number'], name='dossier_applicant_id'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['finished_at'], name='dossier_finished'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['applicant_folded'], name='dossier_applicant_name', opclasses=['varchar_pattern_ops']),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(condition=models.Q(('state__in', [2, 4, 5, 6, 7])), fields=['due_at'], name='dossier_open_due'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(condition=models.Q(('state__in', [2, 4, 5, 6, 7])), fields=['current_step_due_at'], name='dossier_open_step_due'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(condition=models.Q(('state__in', [1, 5, 9])), fields=['state'], name='dossier_waiting'),
        ),
        migrations.AddConstraint(
            model_name='apologyletter',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'approved')), fields=('dossier',), name='one_approved_apology_per_dossier'),
        ),
        migrations.AddConstraint(
            model_name='alert',
            constraint=models.UniqueConstraint(condition=models.Q(('dossier__isnull', False)), fields=('dossier', 'kind', 'deadline_at'), name='one_alert_per_dossier_kind_deadline'),
        ),
        migrations.AddConstraint(
            model_name='alert',
            constraint=models.UniqueConstraint(condition=models.Q(('dossier__isnull', True)), fields=('subject', 'kind', 'deadline_at'), name='one_alert_per_subject_kind_deadline'),
        ),
        migrations.AddIndex(
            model_name='dossierevent',
            index=models.Index(fields=['dossier', 'at'], name='event_dossier_at'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['recipient', '-created_at'], name='notification_inbox'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('email_status__in', ['pending', 'sending'])), fields=['deliver_after'], name='notification_outbox'),
        ),
        migrations.AddIndex(
            model_name='proceduremonthstats',
            index=models.Index(fields=['month', 'agency'], include=('procedure', 'finished', 'processing_seconds'), name='procedure_month_stats_month'),
        ),
        migrations.AddConstraint(
            model_name='proceduremonthstats',
            constraint=models.UniqueConstraint(fields=('agency', 'procedure', 'month'), name='procedure_month_stats_unique'),
        ),
        migrations.RunPython(_queue_indexes.covering_indexes, _queue_indexes.plain_indexes, elidable=False),
        migrations.RunPython(_indicators.seed, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(_calendar.load_calendar, migrations.RunPython.noop, elidable=False),
    ]
