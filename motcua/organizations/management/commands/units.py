from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from motcua.organizations.models import Unit
from motcua.organizations.services import sync_divisions


class Command(BaseCommand):
    help = "Nạp hoặc cập nhật 34 tỉnh, thành phố và 3.321 đơn vị cấp xã từ gói vietnam-provinces."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["sync"])

    def handle(self, *args: Any, **options: Any) -> None:
        created = sync_divisions()
        self.stdout.write(f"Đã nạp {created} đơn vị mới; tổng số đơn vị: {Unit.objects.count()}.")
