"""``manage.py run_jobs``: the background jobs of tiendo, without a queue or an extra
server. Today that is the reminder job (``tiendo.reporting.reminders.run``): open the
rounds schedules call for, remind units that have not sent their reports, mail the
notifications.

One pass by default, for cron or a systemd timer (every 5 minutes). With ``--loop
SECONDS`` it runs a pass, sleeps, and runs again until stopped; a pass that fails is
logged (and recorded as a failed ``JobRun``) and the loop goes on, so one bad pass
does not stop the reminders. ``make run`` starts it this way beside gunicorn.

Several copies at once are safe: a notification is unique per recipient and key,
and each e-mail row is claimed with an UPDATE before it is sent.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from tiendo.lib.vn import parse_date
from tiendo.reporting import reminders

log = logging.getLogger("tiendo.jobs")


class Command(BaseCommand):
    help = "Chạy các tác vụ nền một lần (mở đợt báo cáo theo lịch, nhắc nộp, gửi thư), hoặc lặp lại với --loop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", type=int, metavar="SECONDS", help="Chạy lặp lại, nghỉ chừng này giây giữa hai lần (ít nhất 10)."
        )
        parser.add_argument("--date", help="Chạy như thể hôm nay là ngày này (ngày/tháng/năm), để thử.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = parse_date(options["date"])
            except ValueError as error:
                raise CommandError(str(error)) from None
        seconds = options["loop"]
        if seconds is None:
            summary = reminders.run(today=today)
            if options["verbosity"] >= 1:
                self.stdout.write("\n".join(summary.lines))
            return
        if seconds < 10:
            raise CommandError("--loop: ít nhất 10 giây.")
        log.info("run_jobs: every %s s", seconds)
        while True:
            try:
                summary = reminders.run(today=today)
                log.info("run_jobs: %s", " ".join(summary.lines))
            except Exception:  # one failed pass is logged and recorded; the next one may succeed
                log.exception("run_jobs: pass failed")
            finally:
                close_old_connections()  # a long-lived process must not keep a broken connection
            time.sleep(seconds)
