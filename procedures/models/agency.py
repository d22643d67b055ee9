import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# National agency identifier (mã định danh), e.g. 000.00.00.H56 for a province's
# people's committee, 000.17.22.H56 for a unit under it; H = province, G = ministry.
AGENCY_IDENTIFIER_RE = r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$"
validate_agency_identifier = RegexValidator(
    AGENCY_IDENTIFIER_RE,
    _("Mã định danh phải có dạng NNN.NN.NN.Xnn, ví dụ 000.00.00.H56."),
    code="invalid_identifier",
)


class AgencyLevel(models.TextChoices):
    MINISTRY = "ministry", _("Bộ, ngành")
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class AgencyQuerySet(models.QuerySet["Agency"]):
    def subtree_ids(self, root_id: int) -> set[int]:
        """Ids of ``root_id`` and every agency below it, in one query.

        An agency tree holds a few hundred rows, so walking (id, parent_id) pairs
        in Python is cheaper than keeping a materialised path consistent.
        """
        children: dict[int | None, list[int]] = defaultdict(list)
        for pk, parent_id in self.values_list("pk", "parent_id"):
            children[parent_id].append(pk)
        found, stack = set(), [root_id]
        while stack:
            pk = stack.pop()
            if pk in found:
                continue
            found.add(pk)
            stack.extend(children.get(pk, ()))
        return found


def desk_display_name(agency_name: str) -> str:
    """The one-stop desk's name when the agency has not set its own."""
    return _("Bộ phận tiếp nhận và trả kết quả - %(name)s") % {"name": agency_name}


class Agency(models.Model):
    """An agency or unit (cơ quan, đơn vị) in the tree: province -> departments and communes -> units."""

    identifier = models.CharField(
        _("mã định danh"), max_length=13, unique=True, validators=[validate_agency_identifier]
    )
    name = models.CharField(_("tên cơ quan"), max_length=255)
    level = models.CharField(_("cấp"), max_length=10, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    desk_name = models.CharField(_("tên bộ phận một cửa"), max_length=255, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    # Working hours of docs/domain.md §6; the deadline engine reads them per agency.
    morning_start = models.TimeField(_("giờ bắt đầu buổi sáng"), default=dt.time(7, 0))
    morning_end = models.TimeField(_("giờ kết thúc buổi sáng"), default=dt.time(11, 30))
    afternoon_start = models.TimeField(_("giờ bắt đầu buổi chiều"), default=dt.time(13, 30))
    afternoon_end = models.TimeField(_("giờ kết thúc buổi chiều"), default=dt.time(17, 0))
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["identifier"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not (self.morning_start < self.morning_end <= self.afternoon_start < self.afternoon_end):
            raise ValidationError(
                _(
                    "Giờ làm việc phải theo thứ tự: sáng bắt đầu < sáng kết thúc ≤ chiều bắt đầu < chiều kết thúc."
                )
            )
        if self.parent_id and self.pk:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError(
                        {"parent": _("Cơ quan không thể là cấp dưới của chính nó.")}
                    )
                ancestor = ancestor.parent

    @property
    def display_desk_name(self) -> str:
        return self.desk_name or desk_display_name(self.name)

    def ancestors(self) -> list["Agency"]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain
