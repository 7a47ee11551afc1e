from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

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

    def handle(self, *args: Any, **options: Any) -> None:
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
