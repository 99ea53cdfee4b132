"""Import an exchange file: all or nothing, with every problem listed by sheet, row and column."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiendo.audit.context import new_request_id
from tiendo.exchange.importer import import_file


class Command(BaseCommand):
    help = (
        "Nhập dữ liệu từ tệp trao đổi (JSON hoặc Excel .xlsx). Mọi dòng được kiểm tra trước; có lỗi thì không ghi gì "
        "và in từng lỗi theo trang/phần, dòng, cột."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Tệp .json hoặc .xlsx.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra và báo cáo, không ghi gì.")

    def handle(self, *args: Any, **options: Any) -> None:
        with new_request_id():
            try:
                report = import_file(options["file"], dry_run=options["dry_run"])
            except Exception as error:  # the transaction is rolled back; say so instead of a bare traceback
                raise CommandError(
                    f"Lỗi không mong đợi khi nhập ({type(error).__name__}: {error}); mọi thay đổi đã được hoàn tác, "
                    "không dòng nào được ghi. Chạy lại với --traceback để xem chi tiết."
                ) from error
        for warning in report.warnings:
            self.stderr.write(f"Cảnh báo — {warning}")
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Không nhập: {len(report.problems)} lỗi; không dòng nào được ghi.")
        for line in report.summary():
            self.stdout.write(f"  {line}")
        if report.dry_run:
            self.stdout.write(self.style.SUCCESS("Tệp hợp lệ; chưa ghi gì (--dry-run)."))
        else:
            self.stdout.write(self.style.SUCCESS("Đã nhập xong."))
