"""The unit tree and its reorganisations.

A unit (``OrgUnit``) is an identity that lasts from its founding to its end. What it
is called, which code it holds and where it hangs in the tree can change; each span
of time with one name, code and parent is a ``UnitVersion``. "The tree on date D" is
the set of versions valid on D, and a subtree on D is a prefix match on the versions'
materialised paths. Intervals are half-open: ``valid_from`` is the first day,
``valid_to`` the first day it no longer holds (``None``: still holds).

Reorganisations (``ReorgEvent``) end units, start units and move or rename them,
and ``ReorgLink`` records what passed from a predecessor to a successor, with the
share of population or area where it is known.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tiendo.lib.text import fold
from tiendo.lib.vn import format_date

PATH_SEGMENT = 8  # digits per level: unit ids up to 99.999.999


def path_segment(unit_id: int) -> str:
    return f"{unit_id:0{PATH_SEGMENT}d}"


def path_upper_bound(path: str) -> str:
    """The smallest path after every path that starts with ``path``.

    Paths are digits only, so "…05" is followed by "…06"; a range on the indexed
    column then finds a subtree on any database and collation.
    """
    return f"{int(path) + 1:0{len(path)}d}"


class UnitKind(models.TextChoices):
    CITY = "city", _("Tỉnh, thành phố")
    DISTRICT = "district", _("Quận, huyện")
    WARD = "ward", _("Phường")
    COMMUNE = "commune", _("Xã")
    RESIDENTIAL_GROUP = "tdp", _("Tổ dân phố")
    PARTY_COMMITTEE = "party_committee", _("Cấp ủy")
    PARTY_ORG = "party_org", _("Tổ chức cơ sở đảng")
    AGENCY = "agency", _("Cơ quan, phòng ban")
    MASS_ORG = "mass_org", _("Mặt trận, đoàn thể")

    @classmethod
    def territorial(cls) -> set[str]:
        return {cls.CITY, cls.DISTRICT, cls.WARD, cls.COMMUNE, cls.RESIDENTIAL_GROUP}


# Which kinds may hang under which: the administrative levels in order, and the
# bodies (agencies, Party organisations, mass organisations) attached to a level.
ALLOWED_PARENT_KINDS: dict[str, set[str]] = {
    UnitKind.CITY: set(),
    UnitKind.DISTRICT: {UnitKind.CITY},
    UnitKind.WARD: {UnitKind.CITY, UnitKind.DISTRICT},
    UnitKind.COMMUNE: {UnitKind.CITY, UnitKind.DISTRICT},
    UnitKind.RESIDENTIAL_GROUP: {UnitKind.WARD, UnitKind.COMMUNE},
    UnitKind.PARTY_COMMITTEE: {UnitKind.CITY, UnitKind.DISTRICT, UnitKind.WARD, UnitKind.COMMUNE},
    UnitKind.PARTY_ORG: {
        UnitKind.CITY,
        UnitKind.DISTRICT,
        UnitKind.WARD,
        UnitKind.COMMUNE,
        UnitKind.PARTY_COMMITTEE,
        UnitKind.PARTY_ORG,
        UnitKind.RESIDENTIAL_GROUP,
    },
    UnitKind.AGENCY: {UnitKind.CITY, UnitKind.DISTRICT, UnitKind.WARD, UnitKind.COMMUNE},
    UnitKind.MASS_ORG: {UnitKind.CITY, UnitKind.DISTRICT, UnitKind.WARD, UnitKind.COMMUNE, UnitKind.MASS_ORG},
}


def valid_on_q(day: dt.date, prefix: str = "") -> Q:
    """Rows whose [valid_from, valid_to) interval contains ``day``."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def overlaps_q(start: dt.date, end: dt.date | None) -> Q:
    """Rows whose interval overlaps [start, end)."""
    q = Q(valid_to__isnull=True) | Q(valid_to__gt=start)
    if end is not None:
        q &= Q(valid_from__lt=end)
    return q


def last_day(end: dt.date | None) -> dt.date | None:
    """The last day something held, from the exclusive end we store."""
    return None if end is None else end - dt.timedelta(days=1)


def describe_interval(start: dt.date, end: dt.date | None) -> str:
    if end is None:
        return gettext("từ %(date)s") % {"date": format_date(start)}
    return f"{format_date(start)} – {format_date(last_day(end))}"


def parent_problem(unit: OrgUnit, parent: OrgUnit | None, day: dt.date, until: dt.date | None = None) -> str | None:
    """Why ``parent`` cannot hold ``unit`` from ``day`` until ``until`` (open: for good),
    or None if it can."""
    allowed = ALLOWED_PARENT_KINDS.get(unit.kind, set())
    if parent is None:
        return gettext("%(kind)s cần có đơn vị cấp trên.") % {"kind": UnitKind(unit.kind).label} if allowed else None
    if parent.pk == unit.pk:
        return gettext("Đơn vị không thể là cấp trên của chính nó.")
    if not parent.exists_on(day):
        return gettext("Đơn vị cấp trên “%(parent)s” không tồn tại vào ngày %(date)s.") % {
            "parent": parent,
            "date": format_date(day),
        }
    if parent.kind not in allowed:
        return gettext("%(kind)s không thể trực thuộc %(parent_kind)s.") % {
            "kind": UnitKind(unit.kind).label,
            "parent_kind": str(UnitKind(parent.kind).label).lower(),
        }
    if parent.valid_to is not None and (until is None or until > parent.valid_to):
        return gettext(
            "Đơn vị cấp trên “%(parent)s” kết thúc từ %(date)s; đơn vị trực thuộc phải được "
            "chuyển hoặc kết thúc trong sự kiện sắp xếp đó, không thể tồn tại lâu hơn cấp trên."
        ) % {"parent": parent, "date": format_date(parent.valid_to)}
    return None


def code_problem(unit_id: int | None, code: str, start: dt.date, end: dt.date | None) -> str | None:
    """Why another unit's hold on ``code`` clashes with [start, end), or None."""
    clash = UnitVersion.objects.filter(code=code).exclude(unit_id=unit_id).filter(overlaps_q(start, end)).first()
    if clash is None:
        return None
    return gettext("Mã “%(code)s” đang được đơn vị “%(unit)s” dùng trong khoảng %(interval)s.") % {
        "code": code,
        "unit": clash.name,
        "interval": describe_interval(clash.valid_from, clash.valid_to),
    }


class OrgUnitQuerySet(models.QuerySet["OrgUnit"]):
    def visible_to(self, user: object, action: str = "view") -> OrgUnitQuerySet:
        from tiendo.accounts.scope import restrict_units

        return restrict_units(self, user, action)  # type: ignore[return-value]


class OrgUnit(models.Model):
    """An organisational unit (đơn vị): a city, district, ward, residential group (tổ
    dân phố), agency, Party organisation or mass organisation, with its own stable id.

    Official codes are not identities: a code can pass to another unit (the new
    Bồ Đề ward took old Ngọc Thụy's code), so codes live on the versions.
    """

    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=UnitKind.choices)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    assumption = models.TextField(
        _("giả định"), blank=True, help_text=_("Điều chưa được nguồn chính thức xác nhận. Để trống nếu là sự kiện đã rõ.")
    )

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="orgunit_interval_ordered",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            )
        ]

    def __str__(self) -> str:
        version = self.latest_version
        return version.name if version else gettext("Đơn vị #%(id)s") % {"id": self.pk}

    @property
    def latest_version(self) -> UnitVersion | None:
        cached = getattr(self, "_prefetched_objects_cache", {}).get("versions")
        if cached is not None:
            return max(cached, key=lambda v: v.valid_from, default=None)
        return self.versions.order_by("-valid_from").first()

    def version_on(self, day: dt.date) -> UnitVersion | None:
        cached = getattr(self, "_prefetched_objects_cache", {}).get("versions")
        if cached is not None:
            return next((v for v in cached if v.contains(day)), None)
        return self.versions.filter(valid_on_q(day)).first()

    def exists_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    @property
    def interval_text(self) -> str:
        return describe_interval(self.valid_from, self.valid_to)


class UnitVersion(models.Model):
    """One span of a unit's life with a single name, code and parent (phiên bản đơn vị)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="versions", verbose_name=_("đơn vị"))
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)
    name = models.CharField(_("tên"), max_length=200)
    code = models.CharField(_("mã"), max_length=30, blank=True)
    parent = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="child_versions",
        verbose_name=_("đơn vị cấp trên"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    search_text = models.CharField(max_length=300, editable=False, db_index=True)
    event = models.ForeignKey(
        "ReorgEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="versions_started"
    )

    class Meta:
        verbose_name = _("phiên bản đơn vị")
        verbose_name_plural = _("phiên bản đơn vị")
        ordering = ["path", "valid_from"]
        indexes = [
            models.Index(fields=["valid_from", "valid_to"], name="unitversion_interval_idx"),
            models.Index(fields=["code"], name="unitversion_code_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="unitversion_interval_ordered",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            ),
            models.UniqueConstraint(
                fields=["unit", "valid_from"],
                name="unitversion_one_start_per_day",
                violation_error_message=_("Đơn vị đã có một phiên bản bắt đầu cùng ngày."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.interval_text})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = fold(f"{self.name} {self.code}")[:300]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.valid_to is not None and self.valid_to <= self.valid_from:
            errors.setdefault("valid_to", []).append(gettext("Ngày kết thúc phải sau ngày bắt đầu."))
        if self.unit_id:
            unit = self.unit
            if self.valid_from < unit.valid_from or (
                unit.valid_to is not None and (self.valid_to is None or self.valid_to > unit.valid_to)
            ):
                errors.setdefault("valid_from", []).append(
                    gettext("Khoảng hiệu lực phải nằm trong thời gian tồn tại của đơn vị (%(interval)s).")
                    % {"interval": unit.interval_text}
                )
            overlapping = (
                UnitVersion.objects.filter(unit_id=self.unit_id)
                .exclude(pk=self.pk)
                .filter(overlaps_q(self.valid_from, self.valid_to))
            )
            clash = overlapping.first()
            if clash is not None:
                errors.setdefault("valid_from", []).append(
                    gettext("Khoảng hiệu lực trùng với phiên bản “%(version)s” của cùng đơn vị.") % {"version": clash}
                )
        if self.code:
            problem = code_problem(self.unit_id, self.code, self.valid_from, self.valid_to)
            if problem:
                errors.setdefault("code", []).append(problem)
        if self.unit_id:
            problem = parent_problem(self.unit, self.parent, self.valid_from, self.valid_to)
            if problem:
                errors.setdefault("parent", []).append(problem)
        if errors:
            raise ValidationError(errors)

    def contains(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    @property
    def interval_text(self) -> str:
        return describe_interval(self.valid_from, self.valid_to)



class ReorgEvent(models.Model):
    """A reorganisation (sắp xếp, điều chỉnh đơn vị): founding, merge, split, rename,
    move or dissolution, effective from ``date``, with the act that decided it."""

    class Kind(models.TextChoices):
        ESTABLISH = "establish", _("Thành lập")
        MERGE = "merge", _("Sáp nhập, hợp nhất")
        SPLIT = "split", _("Chia tách")
        REORGANISE = "reorganise", _("Sắp xếp lại (nhiều đơn vị)")
        RENAME = "rename", _("Đổi tên, đổi mã")
        MOVE = "move", _("Chuyển đơn vị cấp trên")
        DISSOLVE = "dissolve", _("Giải thể")

    kind = models.CharField(_("loại sự kiện"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("ngày hiệu lực"), db_index=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    assumption = models.TextField(_("giả định"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sự kiện sắp xếp đơn vị")
        verbose_name_plural = _("sự kiện sắp xếp đơn vị")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({format_date(self.date)})"


class ReorgLink(models.Model):
    """What one predecessor passed to one successor in a reorganisation.

    ``share`` is the fraction of the predecessor's figures that rolls into the
    successor (by population where known, else area); ``None`` means the history is
    linked but figures are not split.
    """

    event = models.ForeignKey(ReorgEvent, on_delete=models.CASCADE, related_name="links")
    predecessor = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="successor_links")
    successor = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="predecessor_links")
    population = models.PositiveIntegerField(_("dân số chuyển"), null=True, blank=True)
    area_km2 = models.DecimalField(_("diện tích chuyển (km²)"), max_digits=9, decimal_places=3, null=True, blank=True)
    share = models.DecimalField(
        _("tỷ lệ chuyển"),
        max_digits=7,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    assumption = models.CharField(_("giả định"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("liên kết kế thừa")
        verbose_name_plural = _("liên kết kế thừa")
        constraints = [
            models.UniqueConstraint(fields=["event", "predecessor", "successor"], name="reorglink_unique"),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="reorglink_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class UnitLineage(models.Model):
    """How much of a unit's figures roll into a later unit, through every chain of
    reorganisations (the closure of ``ReorgLink`` with known shares): old Sài Đồng
    passes 73% to old Phúc Lợi, which passes all to the new Phúc Lợi, so Sài Đồng →
    new Phúc Lợi is 73%. Rebuilt by the services after every reorganisation; rollups
    read it to carry the history of ended units into their successors.
    """

    predecessor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    successor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    share = models.DecimalField(max_digits=9, decimal_places=6)

    class Meta:
        verbose_name = _("kế thừa số liệu")
        verbose_name_plural = _("kế thừa số liệu")
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"], name="lineage_unique")]
        indexes = [models.Index(fields=["successor"], name="lineage_successor_idx")]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id}: {self.share}"
