"""Indicators (chỉ tiêu), their targets (chỉ tiêu giao) and values (số liệu).

Every number is one row of ``DataValue``: an indicator's value for one unit and one
period, with who entered it, from what source and in which state. A change never
overwrites: the old row stays, marked not current, and the new one points to it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiendo.lib import periods
from tiendo.lib.periods import PeriodKind

PERIOD_KINDS = [
    (PeriodKind.MONTH.value, _("Tháng")),
    (PeriodKind.QUARTER.value, _("Quý")),
    (PeriodKind.YEAR.value, _("Năm")),
    (PeriodKind.SCHOOL_YEAR.value, _("Năm học")),
    (PeriodKind.TERM.value, _("Nhiệm kỳ")),
]



class PeriodFields(models.Model):
    """The period a row is about, stored as kind and dates so ranges are plain comparisons."""

    period_kind = models.CharField(_("loại kỳ"), max_length=12, choices=PERIOD_KINDS)
    period_start = models.DateField(_("kỳ từ ngày"))
    period_end = models.DateField(_("kỳ đến trước ngày"))

    class Meta:
        abstract = True

    @property
    def period(self) -> periods.Period:
        return periods.Period(self.period_start, self.period_end, PeriodKind(self.period_kind))

    @period.setter
    def period(self, value: periods.Period) -> None:
        self.period_kind = value.kind.value
        self.period_start = value.start
        self.period_end = value.end


class Source(models.Model):
    """Where a figure comes from (nguồn số liệu): a document, a press article, a
    submission of a reporting round, or an estimate."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Văn bản")
        ARTICLE = "article", _("Bài báo")
        SUBMISSION = "submission", _("Báo cáo của đơn vị")
        ESTIMATE = "estimate", _("Ước tính")

    kind = models.CharField(_("loại nguồn"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("tên"), max_length=400)
    publisher = models.CharField(_("cơ quan, tờ báo"), max_length=200, blank=True)
    reference = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    published_on = models.DateField(_("ngày"), null=True, blank=True)
    url = models.URLField(_("địa chỉ"), blank=True)

    class Meta:
        verbose_name = _("nguồn số liệu")
        verbose_name_plural = _("nguồn số liệu")
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    """An indicator (chỉ tiêu) of a program, with how it adds up over units and time."""

    class ValueType(models.TextChoices):
        NUMBER = "number", _("Số")
        PERCENT = "percent", _("Tỷ lệ %")
        RATIO = "ratio", _("Tỷ số (tử số/mẫu số)")
        BOOLEAN = "boolean", _("Có/không")

    class UnitAggregation(models.TextChoices):
        SUM = "sum", _("Cộng")
        AVERAGE = "average", _("Trung bình")
        WEIGHTED_AVERAGE = "weighted_average", _("Trung bình có trọng số")
        RATIO_OF_SUMS = "ratio_of_sums", _("Tỷ lệ của tổng tử số trên tổng mẫu số")
        MIN = "min", _("Nhỏ nhất")
        MAX = "max", _("Lớn nhất")
        COUNT_MEETING = "count_meeting", _("Số đơn vị đạt ngưỡng")
        NONE = "none", _("Không cộng dồn (chỉ cấp được giao)")

    class TimeAggregation(models.TextChoices):
        FLOW = "flow", _("Cộng dồn theo kỳ")
        STOCK = "stock", _("Lấy số của kỳ gần nhất")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Càng cao càng tốt")
        LOWER = "lower", _("Càng thấp càng tốt")

    class Comparison(models.TextChoices):
        AT_LEAST = "gte", _("≥")
        AT_MOST = "lte", _("≤")

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=400)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    definition = models.TextField(_("định nghĩa"), blank=True)
    how_to_count = models.TextField(_("cách tính"), blank=True)
    value_type = models.CharField(_("kiểu giá trị"), max_length=10, choices=ValueType.choices, default=ValueType.NUMBER)
    unit_aggregation = models.CharField(
        _("cộng dồn theo đơn vị"), max_length=20, choices=UnitAggregation.choices, default=UnitAggregation.SUM
    )
    time_aggregation = models.CharField(
        _("cộng dồn theo thời gian"), max_length=10, choices=TimeAggregation.choices, default=TimeAggregation.FLOW
    )
    numerator = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("chỉ tiêu tử số")
    )
    denominator = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("chỉ tiêu mẫu số")
    )
    weight = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("chỉ tiêu trọng số")
    )
    threshold = models.DecimalField(_("ngưỡng đạt"), null=True, blank=True, max_digits=20, decimal_places=6)
    threshold_comparison = models.CharField(
        _("so với ngưỡng"), max_length=3, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    direction = models.CharField(_("chiều đánh giá"), max_length=6, choices=Direction.choices, default=Direction.HIGHER)
    frequency = models.CharField(_("tần suất báo cáo"), max_length=12, choices=PERIOD_KINDS, default=PeriodKind.YEAR.value)
    in_resolution = models.BooleanField(_("chỉ tiêu trong Nghị quyết Đại hội"), default=False)
    program = models.ForeignKey(
        "plans.Program", null=True, blank=True, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("chương trình")
    )
    priority = models.ForeignKey(
        "plans.Priority", null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators", verbose_name=_("khâu đột phá")
    )
    responsible_unit = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("đơn vị phụ trách")
    )
    illustrative = models.BooleanField(
        _("minh họa"), default=False, help_text=_("Chỉ tiêu dựng để minh họa: nguồn chỉ nêu số lượng, không nêu tên hay số liệu.")
    )
    min_value = models.DecimalField(_("giá trị nhỏ nhất"), null=True, blank=True, max_digits=20, decimal_places=6)
    max_value = models.DecimalField(_("giá trị lớn nhất"), null=True, blank=True, max_digits=20, decimal_places=6)
    decimals = models.PositiveSmallIntegerField(_("số chữ số thập phân khi hiển thị"), default=0)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["program", "order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(unit_aggregation="ratio_of_sums") | (Q(numerator__isnull=False) & Q(denominator__isnull=False)),
                name="indicator_ratio_has_parts",
                violation_error_message=_("Chỉ tiêu tính theo tỷ lệ của tổng cần chỉ tiêu tử số và mẫu số."),
            ),
            models.CheckConstraint(
                condition=~Q(unit_aggregation="weighted_average") | Q(weight__isnull=False),
                name="indicator_weighted_has_weight",
                violation_error_message=_("Chỉ tiêu trung bình có trọng số cần chỉ tiêu trọng số."),
            ),
            models.CheckConstraint(
                condition=~Q(unit_aggregation="count_meeting") | Q(threshold__isnull=False),
                name="indicator_count_has_threshold",
                violation_error_message=_("Chỉ tiêu đếm số đơn vị đạt cần có ngưỡng."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.display_name}"

    @property
    def display_name(self) -> str:
        return f"{self.name} (minh họa)" if self.illustrative and "minh họa" not in self.name else self.name

    @property
    def is_percent(self) -> bool:
        return self.value_type == self.ValueType.PERCENT


class Target(PeriodFields):
    """A target (chỉ tiêu giao): what an indicator should reach for one unit in one period.

    A term target can be broken down by year; a district target can be allocated
    to its wards (``allocated_from``), and the allocation is checked to add up.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="targets", verbose_name=_("đơn vị"))
    value = models.DecimalField(_("mức chỉ tiêu"), max_digits=20, decimal_places=6)
    allocated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="allocations", verbose_name=_("phân bổ từ")
    )
    clause = models.CharField(_("căn cứ giao chỉ tiêu"), max_length=400, blank=True)
    plan = models.ForeignKey("plans.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="targets")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="targets")
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu giao")
        verbose_name_plural = _("chỉ tiêu giao")
        ordering = ["indicator", "period_start", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period_kind", "period_start"],
                name="target_unique",
                violation_error_message=_("Đơn vị đã có chỉ tiêu cho kỳ này."),
            )
        ]
        indexes = [models.Index(fields=["indicator", "period_start"], name="target_indicator_period_idx")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period.code}: {self.value}"


class DataValue(PeriodFields):
    """One figure (số liệu): an indicator's value for one unit and one period.

    ``is_current`` marks the row in force; earlier rows stay as history and the new
    row's ``replaces`` points to the one it superseded.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Nháp")
        SUBMITTED = "submitted", _("Đã gửi")
        APPROVED = "approved", _("Đã duyệt")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="data_values", verbose_name=_("đơn vị"))
    value = models.DecimalField(_("giá trị"), max_digits=20, decimal_places=6)
    measured_on = models.DateField(
        _("số liệu tính đến ngày"),
        null=True,
        blank=True,
        help_text=_("Cho số liệu lũy kế của một kỳ chưa kết thúc, ví dụ “đến nay” trong báo cáo sơ kết."),
    )
    covers_until = models.DateField(_("số liệu phủ đến ngày"), editable=False)
    is_estimate = models.BooleanField(_("ước thực hiện"), default=False)
    note = models.TextField(_("ghi chú, nguyên nhân"), blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="values")
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.DRAFT)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(_("nhập lúc"), auto_now_add=True)
    is_current = models.BooleanField(default=True, db_index=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by", verbose_name=_("thay cho")
    )
    change_reason = models.CharField(_("lý do thay đổi"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("số liệu")
        verbose_name_plural = _("số liệu")
        ordering = ["indicator", "period_start", "unit", "-entered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period_kind", "period_start"],
                condition=Q(is_current=True),
                name="datavalue_one_current",
                violation_error_message=_("Đơn vị đã có số liệu cho chỉ tiêu và kỳ này."),
            )
        ]
        indexes = [
            models.Index(fields=["indicator", "period_start", "unit"], name="datavalue_lookup_idx"),
            models.Index(fields=["unit", "period_start"], name="datavalue_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period.code}: {self.value}"

    def save(self, *args: object, **kwargs: object) -> None:
        # The last day the figure speaks for: rollups read it to judge whether the data
        # reach the end of a target period, without date arithmetic in SQL.
        self.covers_until = self.measured_on or self.period.last_day
        super().save(*args, **kwargs)  # type: ignore[arg-type]
