from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.core.errors import DomainError
from motcua.organizations.models import User
from motcua.par import services
from motcua.par.models import Round
from motcua.par.workbook import WorkbookErrors, import_set, template


class Command(BaseCommand):
    help = "Chỉ số CCHC của sở, ngành và xã: mẫu bảng tính và nhập bộ chỉ số."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        empty = actions.add_parser("template", help="Ghi bảng tính mẫu của bộ chỉ số (có ví dụ).")
        empty.add_argument("file", nargs="?", default="bo-chi-so-cchc.xlsx")
        load = actions.add_parser(
            "import", help="Nhập một bộ chỉ số thành phiên bản mới, chưa công bố; nhập đủ hoặc không."
        )
        load.add_argument("file")
        for step, text in (("open", "Mở đợt đánh giá: chốt danh sách đơn vị, lấy số liệu từ motcua."),
                           ("feed", "Lấy lại số liệu từ motcua cho mọi đơn vị của đợt đang đánh giá.")):  # fmt: skip
            round_step = actions.add_parser(step, help=text)
            round_step.add_argument("round", type=int, help="Mã số đợt đánh giá")
            round_step.add_argument("--by", required=True, help="Tên đăng nhập của cán bộ Sở Nội vụ thực hiện")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] in ("open", "feed"):
            self._round_step(options["action"], options["round"], options["by"])
            return
        path = Path(options["file"])
        if options["action"] == "template":
            with path.open("wb") as out:
                template(out)
            self.stdout.write(f"Đã ghi mẫu {path}.")
            return
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        try:
            with path.open("rb") as source:
                index_set = import_set(source)
        except WorkbookErrors as refused:
            for error in refused.errors:
                self.stderr.write(f"- {error}")
            raise CommandError(f"{len(refused.errors)} lỗi; chưa nhập gì.") from None
        count = index_set.sub_criteria.count()
        self.stdout.write(
            f"Đã nhập bộ chỉ số #{index_set.pk} ({index_set}), {count} tiêu chí thành phần; chưa công bố."
        )

    def _round_step(self, step: str, round_id: int, username: str) -> None:
        """As a named officer of Sở Nội vụ: the service refuses anyone else, as on the pages."""
        round_ = Round.objects.select_related("index_set").filter(pk=round_id).first()
        if round_ is None:
            raise CommandError(f"Không có đợt đánh giá #{round_id}.")
        by = User.objects.filter(username=username, is_active=True).first()
        if by is None:
            raise CommandError(f"Không có tài khoản {username}.")
        try:
            if step == "open":
                services.open_round(round_, by=by)
                count = round_.assessments.count()
                self.stdout.write(f"Đã mở đợt #{round_id} cho {count} đơn vị và lấy số liệu từ motcua.")
                return
            changed = services.feed_data(round_, by=by)
        except DomainError as refused:
            raise CommandError(refused.message) from None
        self.stdout.write(f"Đã lấy số liệu từ motcua cho đợt #{round_id}: {changed} tiêu chí thay đổi.")
