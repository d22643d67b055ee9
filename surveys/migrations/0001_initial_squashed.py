"""The surveys app's schema in one migration: it replaces 0001_initial … 0004_rating_invitation_through_the_outbox
(squashed in December 2026, issue #13). A database migrated with those is taken
as migrated; one only part-way through them must first be migrated to the end with
the release that still had them. The data steps run at the end: _templates (0002_default_templates)."""

import desk.models.dossier
import django.db.models.deletion
import django.utils.timezone
import surveys.models.ratings
import surveys.models.templates
from django.conf import settings
from django.db import migrations, models

from . import _templates


class Migration(migrations.Migration):
    replaces = [
        ('surveys', '0001_initial'),
        ('surveys', '0002_default_templates'),
        ('surveys', '0003_alter_feedback_closed_at_and_more'),
        ('surveys', '0004_rating_invitation_through_the_outbox'),
    ]

    initial = True

    dependencies = [
        ('desk', '0001_initial_squashed'),
        ('procedures', '0001_initial_squashed'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Feedback',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=20, unique=True, verbose_name='mã phản ánh')),
                ('lookup_key', models.CharField(default=desk.models.dossier.new_lookup_key, max_length=16, verbose_name='mã tra cứu')),
                ('channel', models.CharField(choices=[('online', 'Cổng trực tuyến'), ('written', 'Văn bản'), ('hotline', 'Đường dây nóng'), ('email', 'Thư điện tử')], default='online', max_length=10, verbose_name='kênh tiếp nhận')),
                ('topic', models.CharField(choices=[('regulation', 'Quy định hành chính'), ('procedure', 'Thủ tục hành chính'), ('behaviour', 'Hành vi của cán bộ, công chức')], max_length=12, verbose_name='nội dung liên quan')),
                ('title', models.CharField(max_length=200, verbose_name='tiêu đề')),
                ('content', models.TextField(verbose_name='nội dung phản ánh, kiến nghị')),
                ('sender_name', models.CharField(max_length=100, verbose_name='họ và tên')),
                ('sender_address', models.CharField(max_length=300, verbose_name='địa chỉ')),
                ('sender_phone', models.CharField(max_length=15, verbose_name='số điện thoại')),
                ('sender_email', models.EmailField(blank=True, max_length=254, verbose_name='thư điện tử')),
                ('dossier_code', models.CharField(blank=True, max_length=40, verbose_name='mã hồ sơ liên quan')),
                ('state', models.CharField(choices=[('pending', 'Chờ tiếp nhận'), ('handling', 'Đang xử lý'), ('supplement', 'Chờ bổ sung thông tin'), ('handled', 'Đã xử lý, chờ công khai'), ('published', 'Đã công khai kết quả'), ('refused', 'Không tiếp nhận'), ('forwarded', 'Đã chuyển cơ quan có thẩm quyền')], default='pending', max_length=12, verbose_name='trạng thái')),
                ('classification', models.CharField(blank=True, choices=[('own', 'Thuộc thẩm quyền'), ('behaviour', 'Hành vi của cán bộ, công chức'), ('outside', 'Không thuộc thẩm quyền'), ('rejected', 'Không đủ điều kiện tiếp nhận')], max_length=10, verbose_name='phân loại')),
                ('received_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='ngày tiếp nhận')),
                ('due_at', models.DateTimeField(blank=True, null=True, verbose_name='hạn xử lý bước hiện tại')),
                ('handling_due_at', models.DateTimeField(blank=True, null=True, verbose_name='hạn giải quyết')),
                ('paused_at', models.DateTimeField(blank=True, null=True, verbose_name='tạm dừng từ')),
                ('supplement_request', models.TextField(blank=True, verbose_name='nội dung cần bổ sung')),
                ('supplement_reply', models.TextField(blank=True, verbose_name='thông tin bổ sung')),
                ('forwarded_to_name', models.CharField(blank=True, max_length=255, verbose_name='cơ quan ngoài hệ thống')),
                ('refusal_reason', models.TextField(blank=True, verbose_name='lý do không tiếp nhận')),
                ('answer', models.TextField(blank=True, verbose_name='kết quả xử lý')),
                ('unfounded', models.BooleanField(default=False, verbose_name='phản ánh không đúng sự thật')),
                ('handled_at', models.DateTimeField(blank=True, null=True, verbose_name='ngày xử lý xong')),
                ('public_question', models.TextField(blank=True, verbose_name='nội dung công khai')),
                ('public_answer', models.TextField(blank=True, verbose_name='kết quả công khai')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='ngày công khai')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='thời điểm đóng')),
                ('late', models.BooleanField(default=False, verbose_name='có bước quá hạn')),
                ('version', models.PositiveIntegerField(default=1, verbose_name='phiên bản')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='procedures.agency', verbose_name='cơ quan tiếp nhận')),
                ('dossier', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='feedback', to='desk.dossier', verbose_name='hồ sơ liên quan')),
                ('forwarded_from', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='forwarded_copy', to='surveys.feedback', verbose_name='chuyển từ')),
                ('forwarded_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='procedures.agency', verbose_name='chuyển đến')),
                ('officer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='feedback_about', to=settings.AUTH_USER_MODEL, verbose_name='cán bộ bị phản ánh')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người ghi nhận')),
            ],
            options={
                'verbose_name': 'phản ánh, kiến nghị',
                'verbose_name_plural': 'phản ánh, kiến nghị',
                'ordering': ['-received_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='FeedbackEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=20, verbose_name='loại')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm')),
                ('from_state', models.CharField(blank=True, max_length=12, verbose_name='từ trạng thái')),
                ('to_state', models.CharField(blank=True, max_length=12, verbose_name='đến trạng thái')),
                ('due_at', models.DateTimeField(blank=True, null=True, verbose_name='hạn xử lý')),
                ('on_time', models.BooleanField(choices=[(True, 'đúng hạn'), (False, 'trễ hạn'), (None, 'không có hạn')], null=True, verbose_name='đúng hạn')),
                ('note', models.TextField(blank=True, verbose_name='ghi chú')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người thực hiện')),
                ('feedback', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='surveys.feedback', verbose_name='phản ánh, kiến nghị')),
            ],
            options={
                'verbose_name': 'diễn biến xử lý phản ánh',
                'verbose_name_plural': 'diễn biến xử lý phản ánh',
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Kiosk',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='tên quầy')),
                ('token', models.CharField(default=surveys.models.ratings.new_kiosk_token, editable=False, max_length=64, unique=True, verbose_name='mã truy cập')),
                ('is_active', models.BooleanField(default=True, verbose_name='đang sử dụng')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='thời điểm tạo')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='kiosks', to='procedures.agency', verbose_name='bộ phận một cửa')),
                ('clerk', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='cán bộ đang phục vụ tại quầy')),
            ],
            options={
                'verbose_name': 'thiết bị đánh giá tại quầy',
                'verbose_name_plural': 'thiết bị đánh giá tại quầy',
                'ordering': ['agency_id', 'name'],
            },
        ),
        migrations.CreateModel(
            name='Rating',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('choice', models.CharField(choices=[('very_satisfied', 'Rất hài lòng'), ('satisfied', 'Hài lòng'), ('dissatisfied', 'Không hài lòng')], max_length=20, verbose_name='mức độ hài lòng')),
                ('reason', models.TextField(blank=True, verbose_name='lý do')),
                ('channel', models.CharField(choices=[('kiosk', 'Thiết bị đánh giá tại quầy'), ('link', 'Đường dẫn hoặc mã QR')], max_length=10, verbose_name='kênh đánh giá')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm đánh giá')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ratings', to='procedures.agency', verbose_name='cơ quan')),
                ('dossier', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='rating', to='desk.dossier', verbose_name='hồ sơ')),
                ('kiosk', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='ratings', to='surveys.kiosk', verbose_name='máy đánh giá')),
                ('officers', models.ManyToManyField(blank=True, related_name='ratings', to=settings.AUTH_USER_MODEL, verbose_name='cán bộ giải quyết')),
            ],
            options={
                'verbose_name': 'đánh giá mức độ hài lòng',
                'verbose_name_plural': 'đánh giá mức độ hài lòng',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='RatingInvitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm tạo')),
                ('dossier', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='desk.dossier', verbose_name='hồ sơ liên quan')),
                ('notification', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='desk.notification', verbose_name='thông báo')),
            ],
            options={
                'verbose_name': 'thư mời đánh giá',
                'verbose_name_plural': 'thư mời đánh giá',
            },
        ),
        migrations.CreateModel(
            name='SurveyTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('quick', 'Đánh giá nhanh'), ('nine', 'Đánh giá theo 9 tiêu chí'), ('sipas', 'Khảo sát 5 yếu tố (thang 5 điểm)')], max_length=10, verbose_name='loại phiếu')),
                ('name', models.CharField(max_length=255, verbose_name='tên phiếu')),
                ('intro', models.TextField(blank=True, verbose_name='lời dẫn')),
                ('is_active', models.BooleanField(default=True, verbose_name='đang sử dụng')),
                ('grade_bands', models.JSONField(default=surveys.models.templates.default_grade_bands, verbose_name='xếp loại theo tổng điểm')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='thời điểm cập nhật')),
            ],
            options={
                'verbose_name': 'mẫu phiếu khảo sát',
                'verbose_name_plural': 'mẫu phiếu khảo sát',
                'ordering': ['kind', 'name'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('is_active', True)), fields=('kind',), name='one_active_template_per_kind')],
            },
        ),
        migrations.CreateModel(
            name='SurveyResponse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('answers', models.JSONField(default=dict, verbose_name='câu trả lời')),
                ('total', models.PositiveSmallIntegerField(default=0, verbose_name='tổng')),
                ('grade', models.CharField(blank=True, max_length=50, verbose_name='xếp loại')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm tạo')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='survey_responses', to='procedures.agency', verbose_name='cơ quan')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người tạo')),
                ('dossier', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='survey_responses', to='desk.dossier', verbose_name='hồ sơ liên quan')),
                ('template', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='responses', to='surveys.surveytemplate', verbose_name='mẫu')),
            ],
            options={
                'verbose_name': 'phiếu khảo sát đã trả lời',
                'verbose_name_plural': 'phiếu khảo sát đã trả lời',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='SurveyQuestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
                ('text', models.CharField(max_length=500, verbose_name='câu hỏi')),
                ('help_text', models.CharField(blank=True, max_length=500, verbose_name='hướng dẫn chấm')),
                ('factor', models.CharField(blank=True, choices=[('access', 'Tiếp cận dịch vụ'), ('procedure', 'Thủ tục hành chính'), ('civil_servant', 'Công chức giải quyết'), ('result', 'Kết quả giải quyết'), ('feedback', 'Tiếp nhận, xử lý phản ánh, kiến nghị')], max_length=20, verbose_name='yếu tố')),
                ('template', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='questions', to='surveys.surveytemplate', verbose_name='mẫu')),
            ],
            options={
                'verbose_name': 'câu hỏi',
                'verbose_name_plural': 'câu hỏi',
                'ordering': ['order', 'pk'],
            },
        ),
        migrations.AddIndex(
            model_name='feedback',
            index=models.Index(fields=['agency', '-received_at'], name='feedback_agency_recv'),
        ),
        migrations.AddIndex(
            model_name='feedback',
            index=models.Index(condition=models.Q(('state__in', ['pending', 'handling', 'handled'])), fields=['due_at'], name='feedback_open_due'),
        ),
        migrations.AddIndex(
            model_name='feedback',
            index=models.Index(condition=models.Q(('state', 'published')), fields=['-published_at'], name='feedback_published'),
        ),
        migrations.AddIndex(
            model_name='rating',
            index=models.Index(fields=['agency', 'created_at'], name='rating_agency_at'),
        ),
        migrations.AddConstraint(
            model_name='rating',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('choice', 'dissatisfied'), _negated=True), models.Q(('reason', ''), _negated=True), _connector='OR'), name='rating_dissatisfied_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='surveyresponse',
            constraint=models.UniqueConstraint(fields=('template', 'dossier'), name='one_response_per_template_dossier'),
        ),
        migrations.RunPython(_templates.seed, migrations.RunPython.noop, elidable=False),
    ]
