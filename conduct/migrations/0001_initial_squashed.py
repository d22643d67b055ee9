"""The conduct app's schema in one migration: it replaces 0001_initial … 0002_alter_checklistitem_version_and_more
(squashed in December 2026, issue #13). A database migrated with those is taken
as migrated; one only part-way through them must first be migrated to the end with
the release that still had them. The data steps run at the end: none."""

import conduct.models
import django.db.models.deletion
import django.utils.timezone
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [
        ('conduct', '0001_initial'),
        ('conduct', '0002_alter_checklistitem_version_and_more'),
    ]

    initial = True

    dependencies = [
        ('desk', '0001_initial_squashed'),
        ('procedures', '0001_initial_squashed'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ChecklistTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, unique=True, verbose_name='mã')),
                ('name', models.CharField(max_length=255, verbose_name='tên mẫu phiếu')),
                ('is_active', models.BooleanField(default=True, verbose_name='đang sử dụng')),
            ],
            options={
                'verbose_name': 'mẫu phiếu kiểm tra',
                'verbose_name_plural': 'mẫu phiếu kiểm tra',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Policy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('required_coverage', models.DecimalField(decimal_places=2, default=Decimal('0.30'), help_text='Ví dụ 0,30 nghĩa là ba mươi phần trăm số đơn vị trực thuộc.', max_digits=4, verbose_name='tỷ lệ đơn vị phải kiểm tra mỗi năm')),
                ('repeat_window_days', models.PositiveIntegerField(default=365, help_text='Vi phạm thứ hai của cùng một cán bộ trong khoảng này bị coi là tái phạm.', verbose_name='thời gian xét vi phạm lặp lại (ngày)')),
                ('follow_up_working_days', models.PositiveSmallIntegerField(default=5, verbose_name='thời hạn khắc phục (ngày làm việc)')),
                ('sample_size', models.PositiveSmallIntegerField(default=3, verbose_name='số hồ sơ kiểm tra xác suất')),
                ('sample_days', models.PositiveSmallIntegerField(default=90, verbose_name='lấy mẫu hồ sơ tiếp nhận trong (ngày)')),
            ],
            options={
                'verbose_name': 'quy định kiểm tra công vụ',
                'verbose_name_plural': 'quy định kiểm tra công vụ',
            },
        ),
        migrations.CreateModel(
            name='ChecklistVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(verbose_name='phiên bản số')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='nội dung sửa đổi')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='tạo lúc')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='công bố lúc')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người tạo')),
                ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người công bố')),
                ('template', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='versions', to='conduct.checklisttemplate', verbose_name='mẫu')),
            ],
            options={
                'verbose_name': 'phiên bản mẫu phiếu',
                'verbose_name_plural': 'phiên bản mẫu phiếu',
                'ordering': ['template', '-number'],
            },
        ),
        migrations.CreateModel(
            name='ChecklistItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('section', models.CharField(choices=[('discipline', 'Kỷ luật, kỷ cương'), ('dress', 'Trang phục, thẻ công chức'), ('communication', 'Giao tiếp, ứng xử'), ('premises', 'Cơ sở vật chất, công sở'), ('process', 'Quy trình giải quyết hồ sơ')], max_length=20, verbose_name='nhóm tiêu chí')),
                ('scope', models.CharField(choices=[('officer', 'Từng cán bộ'), ('premises', 'Công sở'), ('dossier', 'Từng hồ sơ kiểm tra xác suất')], max_length=10, verbose_name='đối tượng')),
                ('code', models.CharField(max_length=10, verbose_name='mã tiêu chí')),
                ('text', models.CharField(max_length=500, verbose_name='nội dung tiêu chí')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='conduct.checklistversion', verbose_name='phiên bản')),
            ],
            options={
                'verbose_name': 'tiêu chí kiểm tra',
                'verbose_name_plural': 'tiêu chí kiểm tra',
                'ordering': ['version', 'order', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Finding',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('inspected_on', models.DateField(verbose_name='ngày kiểm tra')),
                ('kind', models.CharField(choices=[('violation', 'Vi phạm'), ('commendation', 'Biểu dương')], max_length=12, verbose_name='loại')),
                ('description', models.CharField(max_length=1000, verbose_name='nội dung')),
                ('is_repeat', models.BooleanField(default=False, verbose_name='tái phạm')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm tạo')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='procedures.agency', verbose_name='cơ quan')),
                ('item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='conduct.checklistitem', verbose_name='tiêu chí')),
                ('officer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='conduct_findings', to=settings.AUTH_USER_MODEL, verbose_name='cán bộ')),
            ],
            options={
                'verbose_name': 'kết luận kiểm tra',
                'verbose_name_plural': 'kết luận kiểm tra',
                'ordering': ['-inspected_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='FollowUp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(choices=[('reminder', 'Nhắc nhở, khắc phục'), ('written_record', 'Lập biên bản vi phạm'), ('report_to_head', 'Báo cáo thủ trưởng đơn vị')], max_length=16, verbose_name='biện pháp')),
                ('due_at', models.DateTimeField(verbose_name='hạn hoàn thành')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm tạo')),
                ('done_at', models.DateTimeField(blank=True, null=True, verbose_name='hoàn thành lúc')),
                ('resolution', models.CharField(blank=True, max_length=1000, verbose_name='kết quả khắc phục')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='procedures.agency', verbose_name='cơ quan')),
                ('done_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người hoàn thành')),
                ('finding', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follow_ups', to='conduct.finding', verbose_name='phát hiện')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='conduct_follow_ups', to=settings.AUTH_USER_MODEL, verbose_name='người chịu trách nhiệm')),
            ],
            options={
                'verbose_name': 'theo dõi khắc phục',
                'verbose_name_plural': 'theo dõi khắc phục',
                'ordering': ['due_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Inspection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.CharField(default=conduct.models.new_public_id, editable=False, max_length=16, unique=True, verbose_name='mã công khai')),
                ('kind', models.CharField(choices=[('announced', 'Có thông báo trước'), ('unannounced', 'Đột xuất, không báo trước')], default='unannounced', max_length=12, verbose_name='hình thức')),
                ('inspected_on', models.DateField(verbose_name='ngày kiểm tra')),
                ('started_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='bắt đầu lúc')),
                ('status', models.CharField(choices=[('draft', 'Đang ghi nhận'), ('completed', 'Đã kết thúc, lập biên bản')], default='draft', max_length=10, verbose_name='trạng thái')),
                ('conclusion', models.TextField(blank=True, verbose_name='nhận xét, kết luận')),
                ('completed_at', models.DateTimeField(blank=True, null=True, verbose_name='kết thúc lúc')),
                ('number', models.PositiveIntegerField(blank=True, null=True, verbose_name='số biên bản')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm tạo')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='conduct_inspections', to='procedures.agency', verbose_name='đơn vị được kiểm tra')),
                ('inspecting_agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='procedures.agency', verbose_name='cơ quan kiểm tra')),
                ('inspectors', models.ManyToManyField(blank=True, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='thành viên đoàn')),
                ('lead', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='trưởng đoàn')),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='inspections', to='conduct.checklistversion', verbose_name='mẫu phiếu')),
            ],
            options={
                'verbose_name': 'cuộc kiểm tra công vụ',
                'verbose_name_plural': 'cuộc kiểm tra công vụ',
                'ordering': ['-inspected_on', '-pk'],
            },
        ),
        migrations.AddField(
            model_name='finding',
            name='inspection',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='findings', to='conduct.inspection', verbose_name='cuộc kiểm tra'),
        ),
        migrations.CreateModel(
            name='InspectionOfficer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
                ('inspection', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='present', to='conduct.inspection', verbose_name='cuộc kiểm tra')),
                ('officer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='conduct_presences', to=settings.AUTH_USER_MODEL, verbose_name='cán bộ')),
            ],
            options={
                'ordering': ['order', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='InspectionPlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='năm')),
                ('title', models.CharField(blank=True, max_length=255, verbose_name='tên kế hoạch')),
                ('required_coverage', models.DecimalField(decimal_places=2, max_digits=4, verbose_name='tỷ lệ đơn vị phải kiểm tra')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm tạo')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='procedures.agency', verbose_name='cơ quan lập kế hoạch')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người tạo')),
            ],
            options={
                'verbose_name': 'kế hoạch kiểm tra công vụ',
                'verbose_name_plural': 'kế hoạch kiểm tra công vụ',
                'ordering': ['-year', 'agency__name'],
            },
        ),
        migrations.CreateModel(
            name='InspectionSample',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
                ('dossier', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='desk.dossier', verbose_name='hồ sơ liên quan')),
                ('inspection', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='samples', to='conduct.inspection', verbose_name='cuộc kiểm tra')),
            ],
            options={
                'ordering': ['order', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ItemResult',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('target', models.CharField(max_length=24, verbose_name='đối tượng kiểm tra')),
                ('outcome', models.CharField(blank=True, choices=[('met', 'Đạt'), ('not_met', 'Không đạt'), ('na', 'Không áp dụng')], max_length=8, verbose_name='kết quả')),
                ('note', models.CharField(blank=True, max_length=1000, verbose_name='ghi chú')),
                ('photo', models.FileField(blank=True, upload_to=conduct.models.photo_path, verbose_name='ảnh')),
                ('photo_type', models.CharField(blank=True, max_length=20, verbose_name='kiểu ảnh')),
                ('stamp', models.BigIntegerField(default=0, verbose_name='mốc thời gian')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm cập nhật')),
                ('inspection', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='results', to='conduct.inspection', verbose_name='cuộc kiểm tra')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='conduct.checklistitem', verbose_name='tiêu chí')),
                ('officer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='conduct_results', to=settings.AUTH_USER_MODEL, verbose_name='cán bộ')),
                ('sample', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='results', to='conduct.inspectionsample', verbose_name='hồ sơ mẫu')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người cập nhật')),
            ],
            options={
                'verbose_name': 'kết quả tiêu chí',
                'verbose_name_plural': 'kết quả tiêu chí',
            },
        ),
        migrations.CreateModel(
            name='PlannedInspection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('planned_on', models.DateField(verbose_name='dự kiến ngày kiểm tra')),
                ('kind', models.CharField(choices=[('announced', 'Có thông báo trước'), ('unannounced', 'Đột xuất, không báo trước')], default='announced', max_length=12, verbose_name='hình thức')),
                ('note', models.CharField(blank=True, max_length=255, verbose_name='ghi chú')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='procedures.agency', verbose_name='đơn vị được kiểm tra')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='conduct.inspectionplan', verbose_name='kế hoạch')),
            ],
            options={
                'verbose_name': 'đơn vị trong kế hoạch',
                'verbose_name_plural': 'đơn vị trong kế hoạch',
                'ordering': ['planned_on', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='inspection',
            name='planned',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='inspections', to='conduct.plannedinspection', verbose_name='theo kế hoạch'),
        ),
        migrations.CreateModel(
            name='ScoreTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('inspected_on', models.DateField(verbose_name='ngày kiểm tra')),
                ('met', models.PositiveIntegerField(default=0, verbose_name='số tiêu chí đạt')),
                ('not_met', models.PositiveIntegerField(default=0, verbose_name='số tiêu chí không đạt')),
                ('not_applicable', models.PositiveIntegerField(default=0, verbose_name='số tiêu chí không áp dụng')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='procedures.agency', verbose_name='cơ quan')),
                ('inspection', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tallies', to='conduct.inspection', verbose_name='cuộc kiểm tra')),
                ('officer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='cán bộ')),
            ],
        ),
        migrations.AddConstraint(
            model_name='checklistversion',
            constraint=models.UniqueConstraint(fields=('template', 'number'), name='conduct_version_number'),
        ),
        migrations.AddConstraint(
            model_name='checklistversion',
            constraint=models.UniqueConstraint(condition=models.Q(('published_at__isnull', True)), fields=('template',), name='conduct_one_draft_per_template'),
        ),
        migrations.AddConstraint(
            model_name='checklistitem',
            constraint=models.UniqueConstraint(fields=('version', 'code'), name='conduct_item_code'),
        ),
        migrations.AddIndex(
            model_name='followup',
            index=models.Index(condition=models.Q(('done_at__isnull', True)), fields=['due_at'], name='conduct_followup_open'),
        ),
        migrations.AddIndex(
            model_name='finding',
            index=models.Index(fields=['officer', 'kind', 'inspected_on'], name='conduct_find_officer'),
        ),
        migrations.AddIndex(
            model_name='finding',
            index=models.Index(fields=['agency', 'inspected_on'], name='conduct_find_agency'),
        ),
        migrations.AddConstraint(
            model_name='inspectionofficer',
            constraint=models.UniqueConstraint(fields=('inspection', 'officer'), name='conduct_officer_once_per_inspection'),
        ),
        migrations.AddConstraint(
            model_name='inspectionplan',
            constraint=models.UniqueConstraint(fields=('agency', 'year'), name='conduct_one_plan_per_year'),
        ),
        migrations.AddConstraint(
            model_name='inspectionsample',
            constraint=models.UniqueConstraint(fields=('inspection', 'dossier'), name='conduct_sample_once_per_inspection'),
        ),
        migrations.AddConstraint(
            model_name='itemresult',
            constraint=models.UniqueConstraint(fields=('inspection', 'item', 'target'), name='conduct_one_result_per_target'),
        ),
        migrations.AddConstraint(
            model_name='plannedinspection',
            constraint=models.UniqueConstraint(fields=('plan', 'agency'), name='conduct_plan_agency_once'),
        ),
        migrations.AddIndex(
            model_name='inspection',
            index=models.Index(fields=['agency', '-inspected_on'], name='conduct_insp_agency'),
        ),
        migrations.AddIndex(
            model_name='scoretally',
            index=models.Index(fields=['inspected_on', 'agency'], name='conduct_tally_period'),
        ),
        migrations.AddIndex(
            model_name='scoretally',
            index=models.Index(fields=['officer', 'inspected_on'], name='conduct_tally_officer'),
        ),
    ]
