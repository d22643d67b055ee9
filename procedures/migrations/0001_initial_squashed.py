"""The procedures app's schema in one migration: it replaces 0001_initial … 0007_alter_fee_order_alter_fee_procedure_and_more
(squashed in December 2026, issue #13). A database migrated with those is taken
as migrated; one only part-way through them must first be migrated to the end with
the release that still had them. The data steps run at the end: _trigram (0003_search_trigram_index)."""

import datetime
import django.contrib.auth.models
import django.contrib.auth.validators
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import procedures.models.imports
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

from . import _trigram


class Migration(migrations.Migration):
    replaces = [
        ('procedures', '0001_initial'),
        ('procedures', '0002_importjob'),
        ('procedures', '0003_search_trigram_index'),
        ('procedures', '0004_procedure_steps'),
        ('procedures', '0005_login_failure_device'),
        ('procedures', '0006_job_touched_at'),
        ('procedures', '0007_alter_fee_order_alter_fee_procedure_and_more'),
    ]

    initial = True

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.CreateModel(
            name='Field',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=40, unique=True, verbose_name='mã lĩnh vực')),
                ('name', models.CharField(max_length=255, verbose_name='tên lĩnh vực')),
            ],
            options={
                'verbose_name': 'lĩnh vực',
                'verbose_name_plural': 'lĩnh vực',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='LoginFailure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('username', models.CharField(db_index=True, max_length=150, verbose_name='tên đăng nhập')),
                ('ip_address', models.GenericIPAddressField(db_index=True, null=True, verbose_name='địa chỉ IP')),
                ('device', models.CharField(blank=True, default='', max_length=32, verbose_name='thiết bị')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='thời điểm')),
            ],
            options={
                'verbose_name': 'đăng nhập thất bại',
                'verbose_name_plural': 'đăng nhập thất bại',
            },
        ),
        migrations.CreateModel(
            name='Agency',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('identifier', models.CharField(max_length=13, unique=True, validators=[django.core.validators.RegexValidator('^\\d{3}\\.\\d{2}\\.\\d{2}\\.[A-Z]\\d{2}$', 'Mã định danh phải có dạng NNN.NN.NN.Xnn, ví dụ 000.00.00.H56.', code='invalid_identifier')], verbose_name='mã định danh')),
                ('name', models.CharField(max_length=255, verbose_name='tên cơ quan')),
                ('level', models.CharField(choices=[('ministry', 'Bộ, ngành'), ('province', 'Cấp tỉnh'), ('commune', 'Cấp xã')], max_length=10, verbose_name='cấp')),
                ('desk_name', models.CharField(blank=True, max_length=255, verbose_name='tên bộ phận một cửa')),
                ('address', models.CharField(blank=True, max_length=255, verbose_name='địa chỉ')),
                ('phone', models.CharField(blank=True, max_length=30, verbose_name='điện thoại')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='thư điện tử')),
                ('morning_start', models.TimeField(default=datetime.time(7, 0), verbose_name='giờ bắt đầu buổi sáng')),
                ('morning_end', models.TimeField(default=datetime.time(11, 30), verbose_name='giờ kết thúc buổi sáng')),
                ('afternoon_start', models.TimeField(default=datetime.time(13, 30), verbose_name='giờ bắt đầu buổi chiều')),
                ('afternoon_end', models.TimeField(default=datetime.time(17, 0), verbose_name='giờ kết thúc buổi chiều')),
                ('is_active', models.BooleanField(default=True, verbose_name='đang hoạt động')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='procedures.agency', verbose_name='cơ quan cấp trên')),
            ],
            options={
                'verbose_name': 'cơ quan, đơn vị',
                'verbose_name_plural': 'cơ quan, đơn vị',
                'ordering': ['identifier'],
            },
        ),
        migrations.CreateModel(
            name='User',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='password')),
                ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('username', models.CharField(error_messages={'unique': 'A user with that username already exists.'}, help_text='Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.', max_length=150, unique=True, validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name='username')),
                ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email address')),
                ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                ('title', models.CharField(blank=True, max_length=120, verbose_name='chức vụ')),
                ('phone', models.CharField(blank=True, max_length=30, verbose_name='điện thoại')),
                ('is_clerk', models.BooleanField(default=False, verbose_name='cán bộ tiếp nhận')),
                ('is_officer', models.BooleanField(default=False, verbose_name='cán bộ xử lý')),
                ('is_unit_head', models.BooleanField(default=False, verbose_name='lãnh đạo đơn vị')),
                ('is_leader', models.BooleanField(default=False, verbose_name='lãnh đạo')),
                ('is_inspector', models.BooleanField(default=False, verbose_name='cán bộ kiểm tra công vụ')),
                ('is_administrator', models.BooleanField(default=False, verbose_name='quản trị hệ thống')),
                ('groups', models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups')),
                ('user_permissions', models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions')),
                ('agency', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='staff', to='procedures.agency', verbose_name='cơ quan')),
            ],
            options={
                'verbose_name': 'cán bộ',
                'verbose_name_plural': 'cán bộ',
            },
            managers=[
                ('objects', django.contrib.auth.models.UserManager()),
            ],
        ),
        migrations.CreateModel(
            name='ImportJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(upload_to=procedures.models.imports._upload_path, verbose_name='tệp')),
                ('original_name', models.CharField(max_length=255, verbose_name='tên tệp')),
                ('dry_run', models.BooleanField(default=False, verbose_name='chỉ kiểm tra, không ghi')),
                ('all_or_nothing', models.BooleanField(default=False, verbose_name='chỉ ghi khi tất cả các dòng hợp lệ')),
                ('status', models.CharField(choices=[('queued', 'Đang chờ'), ('running', 'Đang nhập'), ('done', 'Hoàn tất'), ('failed', 'Thất bại')], default='queued', max_length=10, verbose_name='trạng thái')),
                ('total_rows', models.PositiveIntegerField(default=0, verbose_name='số dòng')),
                ('processed_rows', models.PositiveIntegerField(default=0, verbose_name='số dòng đã xử lý')),
                ('report', models.JSONField(blank=True, default=dict, verbose_name='kết quả')),
                ('error', models.TextField(blank=True, verbose_name='lỗi')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='lúc tải lên')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='lúc bắt đầu')),
                ('touched_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm cập nhật tiến độ')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='lúc kết thúc')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='import_jobs', to=settings.AUTH_USER_MODEL, verbose_name='người nhập')),
            ],
            options={
                'verbose_name': 'lượt nhập danh mục',
                'verbose_name_plural': 'lượt nhập danh mục',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Procedure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=8, unique=True, validators=[django.core.validators.RegexValidator('^\\d\\.\\d{6}$', 'Mã thủ tục phải có dạng một chữ số, dấu chấm và sáu chữ số, ví dụ 1.010708.', code='invalid_code')], verbose_name='mã thủ tục')),
                ('name', models.CharField(max_length=500, verbose_name='tên thủ tục')),
                ('level', models.CharField(choices=[('central', 'Cấp trung ương'), ('province', 'Cấp tỉnh'), ('commune', 'Cấp xã')], max_length=10, verbose_name='cấp thực hiện')),
                ('is_interlevel', models.BooleanField(default=False, verbose_name='liên thông')),
                ('implementing_body', models.CharField(blank=True, max_length=500, verbose_name='cơ quan thực hiện (theo quyết định công bố)')),
                ('steps', models.TextField(blank=True, verbose_name='trình tự thực hiện')),
                ('accepts_at_desk', models.BooleanField(default=True, verbose_name='nộp trực tiếp')),
                ('accepts_by_post', models.BooleanField(default=False, verbose_name='nộp qua dịch vụ bưu chính công ích')),
                ('accepts_online', models.BooleanField(default=False, verbose_name='nộp trực tuyến')),
                ('filing_notes', models.TextField(blank=True, verbose_name='ghi chú về cách thức thực hiện')),
                ('applicants', models.TextField(blank=True, verbose_name='đối tượng thực hiện')),
                ('result', models.TextField(blank=True, verbose_name='kết quả thực hiện')),
                ('result_form', models.CharField(blank=True, max_length=255, verbose_name='mẫu kết quả')),
                ('conditions', models.TextField(blank=True, verbose_name='yêu cầu, điều kiện thực hiện')),
                ('application_forms', models.TextField(blank=True, verbose_name='mẫu đơn, mẫu tờ khai')),
                ('legal_basis', models.TextField(blank=True, help_text='Mỗi văn bản một dòng.', verbose_name='căn cứ pháp lý')),
                ('decision_number', models.CharField(blank=True, max_length=100, verbose_name='số quyết định công bố')),
                ('decision_date', models.DateField(blank=True, null=True, verbose_name='ngày quyết định công bố')),
                ('decision_file', models.FileField(blank=True, upload_to='procedures/decisions/', verbose_name='tệp quyết định công bố')),
                ('status', models.CharField(choices=[('published', 'Đang áp dụng'), ('amended', 'Được sửa đổi, bổ sung'), ('abolished', 'Đã bãi bỏ')], default='published', max_length=10, verbose_name='tình trạng')),
                ('effective_from', models.DateField(blank=True, null=True, verbose_name='ngày có hiệu lực')),
                ('effective_to', models.DateField(blank=True, null=True, verbose_name='ngày hết hiệu lực')),
                ('online_level', models.CharField(choices=[('full', 'Dịch vụ công trực tuyến toàn trình'), ('partial', 'Dịch vụ công trực tuyến một phần'), ('none', 'Không có dịch vụ công trực tuyến')], default='none', max_length=10, verbose_name='mức độ dịch vụ công trực tuyến')),
                ('file_anywhere', models.BooleanField(default=False, verbose_name='tiếp nhận không phụ thuộc địa giới hành chính trong tỉnh')),
                ('restart_term_after_supplement', models.BooleanField(default=False, help_text='Nếu chọn, thời hạn giải quyết được tính lại từ đầu khi nhận đủ hồ sơ bổ sung; nếu không, thời hạn được cộng thêm thời gian đã tạm dừng.', verbose_name='tính lại từ đầu thời hạn sau khi bổ sung hồ sơ')),
                ('name_folded', models.CharField(db_index=True, default='', editable=False, max_length=500, verbose_name='tên (không dấu)')),
                ('search_folded', models.TextField(default='', editable=False, verbose_name='văn bản tìm kiếm (không dấu)')),
                ('content_hash', models.CharField(default='', editable=False, max_length=64, verbose_name='mã băm nội dung')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='thời điểm tạo')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='thời điểm cập nhật')),
                ('agencies', models.ManyToManyField(blank=True, related_name='procedures', to='procedures.agency', verbose_name='cơ quan thực hiện')),
                ('field', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='procedures', to='procedures.field', verbose_name='lĩnh vực')),
            ],
            options={
                'verbose_name': 'thủ tục hành chính',
                'verbose_name_plural': 'thủ tục hành chính',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Fee',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=500, verbose_name='tên phí, lệ phí')),
                ('amount', models.DecimalField(decimal_places=0, default=0, max_digits=14, verbose_name='mức thu (đồng)')),
                ('exemptions', models.TextField(blank=True, verbose_name='miễn, giảm')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
                ('procedure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='fees', to='procedures.procedure', verbose_name='thủ tục')),
            ],
            options={
                'verbose_name': 'phí, lệ phí',
                'verbose_name_plural': 'phí, lệ phí',
                'ordering': ['order', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ProcedureRevision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('changed_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='thời điểm sửa')),
                ('source', models.CharField(max_length=255, verbose_name='nguồn thay đổi')),
                ('changed_fields', models.JSONField(default=list, verbose_name='trường thay đổi')),
                ('snapshot', models.JSONField(verbose_name='nội dung')),
                ('changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL, verbose_name='người sửa')),
                ('procedure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='procedures.procedure', verbose_name='thủ tục')),
            ],
            options={
                'verbose_name': 'lịch sử thủ tục',
                'verbose_name_plural': 'lịch sử thủ tục',
                'ordering': ['-changed_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ProcedureStep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
                ('name', models.CharField(max_length=255, verbose_name='tên bước')),
                ('working_hours', models.DecimalField(decimal_places=2, help_text='Một ngày làm việc là 8 giờ.', max_digits=6, validators=[django.core.validators.MinValueValidator(Decimal('0.5'))], verbose_name='thời gian (giờ làm việc)')),
                ('procedure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='internal_steps', to='procedures.procedure', verbose_name='thủ tục')),
            ],
            options={
                'verbose_name': 'bước xử lý',
                'verbose_name_plural': 'các bước xử lý',
                'ordering': ['order', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ProcedureVariant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=500, verbose_name='trường hợp')),
                ('time_value', models.PositiveIntegerField(default=0, validators=[django.core.validators.MinValueValidator(0)], verbose_name='thời hạn giải quyết')),
                ('time_unit', models.CharField(choices=[('working_days', 'ngày làm việc'), ('calendar_days', 'ngày'), ('working_hours', 'giờ làm việc'), ('immediate', 'trả kết quả ngay')], default='working_days', max_length=15, verbose_name='đơn vị thời hạn')),
                ('is_default', models.BooleanField(default=False, verbose_name='mặc định')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
                ('procedure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='variants', to='procedures.procedure', verbose_name='thủ tục')),
            ],
            options={
                'verbose_name': 'trường hợp giải quyết',
                'verbose_name_plural': 'trường hợp giải quyết',
                'ordering': ['order', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='RequiredDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=1000, verbose_name='tên giấy tờ')),
                ('originals', models.PositiveSmallIntegerField(default=0, verbose_name='bản chính')),
                ('certified_copies', models.PositiveSmallIntegerField(default=0, verbose_name='bản sao chứng thực')),
                ('copies', models.PositiveSmallIntegerField(default=0, verbose_name='bản sao/phô tô')),
                ('form_name', models.CharField(blank=True, max_length=255, verbose_name='mẫu đơn, tờ khai')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
                ('procedure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='documents', to='procedures.procedure', verbose_name='thủ tục')),
            ],
            options={
                'verbose_name': 'thành phần hồ sơ',
                'verbose_name_plural': 'thành phần hồ sơ',
                'ordering': ['order', 'pk'],
            },
        ),
        migrations.RunPython(_trigram.create_index, _trigram.drop_index, elidable=False),
    ]
