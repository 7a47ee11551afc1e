"""`motcua catalogue`: the procedure catalogue with its e-forms, imported and exported as one file.

The command lives here, not in the catalogue app, because the catalogue may not import the e-forms (import layers):
a record's forms travel in its `MOTCUA.BIEUMAU` (JSON) or on the workbook's "Biểu mẫu" sheet (Excel).
"""

import json
import sys
from argparse import ArgumentParser
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.catalogue import records
from motcua.catalogue.records import RecordsRejected
from motcua.catalogue.synthetic import synthetic_records
from motcua.core.errors import DomainError
from motcua.eforms import excel
from motcua.eforms.exchange import export_document, import_with_forms, read_file


class Command(BaseCommand):
    help = "Danh mục thủ tục: nhập, xuất (JSON quốc gia hoặc Excel, kèm biểu mẫu điện tử), tạo danh mục giả lập."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("import", help="Nhập tệp .json hoặc .xlsx; lỗi ở bất kỳ đâu thì không ghi gì.")
        load.add_argument("file", type=Path)
        load.add_argument("--draft", action="store_true", help="Nhập thành dự thảo, chưa công bố.")
        dump = actions.add_parser("export", help="Xuất các thủ tục đang có hiệu lực ra .json hoặc .xlsx.")
        dump.add_argument("file", type=Path)
        dump.add_argument("--on", help="Ngày (dd/mm/yyyy) để lấy phiên bản có hiệu lực; mặc định hôm nay.")
        template = actions.add_parser("template", help="Tạo tệp Excel mẫu trống để cán bộ điền.")
        template.add_argument("file", type=Path)
        synth = actions.add_parser("synth", help="Tạo danh mục giả lập (chỉ để đo hiệu năng).")
        synth.add_argument("file", type=Path)
        synth.add_argument("--count", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['action']}")(options)

    def do_import(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        try:
            with path.open("rb") as stream:
                raw = read_file(path.name, stream)
        except DomainError as error:
            raise CommandError(error.message) from error
        try:
            report = import_with_forms(raw, publish_versions=not options["draft"], progress=self._progress)
        except RecordsRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            raise CommandError(rejected.message) from rejected
        created, unchanged = report.catalogue.created, report.catalogue.unchanged
        self.stdout.write(f"Đã tạo {len(created)} phiên bản mới; {len(unchanged)} thủ tục không đổi.")
        if report.published or report.unchanged or report.templates_published or report.templates_unchanged:
            self.stdout.write(report.summary())

    def _progress(self, done: int, total: int) -> None:
        if total < 50 or not sys.stderr.isatty():
            return
        filled = done * 30 // total
        sys.stderr.write(f"\r[{'#' * filled}{' ' * (30 - filled)}] {done}/{total}")
        if done == total:
            sys.stderr.write("\n")

    def do_export(self, options: dict[str, Any]) -> None:
        on = datetime.strptime(options["on"], "%d/%m/%Y").date() if options["on"] else None  # noqa: DTZ007
        document = export_document(on)
        path: Path = options["file"]
        if path.suffix.lower() == ".xlsx":
            excel.workbook_from_records(document["procedures"]).save(path)
        else:
            path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        self.stdout.write(f"Đã xuất {len(document['procedures'])} thủ tục ra {path}.")

    def do_template(self, options: dict[str, Any]) -> None:
        excel.workbook_from_records([]).save(options["file"])
        self.stdout.write(f"Đã tạo mẫu Excel trống: {options['file']}.")

    def do_synth(self, options: dict[str, Any]) -> None:
        document = {"format": records.FORMAT, "procedures": synthetic_records(options["count"])}
        options["file"].write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        self.stdout.write(f"Đã tạo {options['count']} thủ tục giả lập trong {options['file']}.")
