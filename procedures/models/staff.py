from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .agency import Agency


class Role(models.TextChoices):
    """Staff roles (docs/domain.md §3). A user may hold several."""

    CLERK = "clerk", _("Cán bộ tiếp nhận")
    OFFICER = "officer", _("Cán bộ xử lý")
    UNIT_HEAD = "unit_head", _("Lãnh đạo đơn vị")
    LEADER = "leader", _("Lãnh đạo")
    INSPECTOR = "inspector", _("Cán bộ kiểm tra công vụ")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")


# Roles whose holders see their agency's whole subtree, not just their own agency.
SUBTREE_ROLES = frozenset({Role.LEADER, Role.INSPECTOR, Role.ADMINISTRATOR})


class User(AbstractUser):
    """A civil servant (cán bộ, công chức) working in one agency."""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    title = models.CharField(_("chức vụ"), max_length=120, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    # One flag per role keeps "the unit heads of agency X" a plain indexed filter
    # on both SQLite and PostgreSQL.
    is_clerk = models.BooleanField(_("cán bộ tiếp nhận"), default=False)
    is_officer = models.BooleanField(_("cán bộ xử lý"), default=False)
    is_unit_head = models.BooleanField(_("lãnh đạo đơn vị"), default=False)
    is_leader = models.BooleanField(_("lãnh đạo"), default=False)
    is_inspector = models.BooleanField(_("cán bộ kiểm tra công vụ"), default=False)
    is_administrator = models.BooleanField(_("quản trị hệ thống"), default=False)

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """Vietnamese order: family and middle names (họ, tên đệm), then the given name."""
        return " ".join(part for part in (self.last_name, self.first_name) if part).strip()

    def has_role(self, role: Role | str) -> bool:
        if not self.is_active:
            return False
        if role == Role.ADMINISTRATOR and self.is_superuser:
            return True
        return bool(getattr(self, f"is_{role}", False))

    @property
    def roles(self) -> list[Role]:
        return [role for role in Role if self.has_role(role)]

    def visible_agency_ids(self) -> set[int] | None:
        """Which agencies' data this user may see; ``None`` means every agency.

        The one place every view asks (directly or through a queryset's
        ``visible_to``). Superusers and administrators without an agency see
        everything; leaders, inspectors and administrators see their agency's
        subtree; everybody else sees their own agency only.
        """
        if not self.is_active or not self.is_authenticated:
            return set()
        if self.is_superuser or (self.is_administrator and self.agency_id is None):
            return None
        if self.agency_id is None:
            return set()
        if any(self.has_role(role) for role in SUBTREE_ROLES):
            return Agency.objects.subtree_ids(self.agency_id)
        return {self.agency_id}

    def can_see_agency(self, agency_id: int) -> bool:
        visible = self.visible_agency_ids()
        return visible is None or agency_id in visible


class LoginFailure(models.Model):
    """A failed login, kept to throttle guessing (see procedures/auth.py) and for audit."""

    # The username as sign-in reads it (procedures.auth.throttle_key), casefolded.
    username = models.CharField(max_length=150, db_index=True, verbose_name=_("tên đăng nhập"))
    ip_address = models.GenericIPAddressField(
        null=True, db_index=True, verbose_name=_("địa chỉ IP")
    )
    # The known-device cookie's id when the browser sent one for this username;
    # empty for every other browser (procedures/auth.py counts the two apart).
    device = models.CharField(max_length=32, blank=True, default="", verbose_name=_("thiết bị"))
    at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("thời điểm"))

    class Meta:
        verbose_name = _("đăng nhập thất bại")
        verbose_name_plural = _("đăng nhập thất bại")

    def __str__(self) -> str:
        return f"{self.username} @ {self.at:%d/%m/%Y %H:%M}"
