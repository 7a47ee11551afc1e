import os
import subprocess
import sys
from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from motcua.api.tokens import issue_token
from motcua.demo.seed import CITIZEN, DEMO_PASSWORD, DEMO_TOTP_KEY, STAFF, seed
from motcua.integrations.simulators import SIMULATORS
from motcua.organizations.models import User
from motcua.organizations.second_factor import manual_key_of
from motcua.signing.models import SignedDocument


class Command(BaseCommand):
    help = "Tạo CSDL, nạp dữ liệu mẫu (tỉnh Đồng Tháp) và chạy máy chủ tại 127.0.0.1."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Chỉ nạp dữ liệu, không chạy máy chủ.")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        if os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".production"):
            raise CommandError("Không nạp dữ liệu mẫu (tài khoản mẫu) vào hệ thống chạy thật.")
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        counts = seed()
        base = f"http://127.0.0.1:{options['port']}"
        self.stdout.write(
            f"Dữ liệu mẫu: {counts['units']} đơn vị, {counts['accounts']} tài khoản, {counts['procedures']} thủ tục."
        )
        self.stdout.write(f"Cổng dịch vụ công: {base}/   Thủ tục: {base}/thu-tuc/")
        self.stdout.write(f"Trang làm việc của cán bộ: {base}/can-bo/   Quản trị: {base}/quan-tri/")
        self.stdout.write(f"API: {base}/api/v1/units   Tài liệu API: {base}/api/docs/")
        signed = SignedDocument.objects.order_by("pk").first()
        if signed is not None:
            self.stdout.write(
                f"Văn bản đã ký số mẫu ({signed.notation}): {base}/xac-thuc/{signed.public_id}   "
                f"Ký số kết quả: {base}/can-bo/ky-so/ (mytho.lanhdao); chứng thư số của TEST CA, không dùng thật."
            )
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, full_name, unit_code, _position, role in STAFF:
            self.stdout.write(f"  {username:<18} {role.label} — {full_name} ({unit_code})")
        self.stdout.write(f"  {CITIZEN['phone']:<18} Công dân — {CITIZEN['full_name']} (hoặc {CITIZEN['email']})")
        self.stdout.write(
            "Cán bộ đăng nhập thêm mã xác thực hai bước (TOTP): thêm khóa "
            f"{manual_key_of(DEMO_TOTP_KEY)} vào ứng dụng xác thực (FreeOTP, Google Authenticator…); "
            "khóa này chỉ dùng cho dữ liệu mẫu."
        )
        if options["no_serve"]:
            return
        self._start_national_systems(base)
        sys.stdout.flush()
        os.environ["DJANGO_SETTINGS_MODULE"] = settings.SETTINGS_MODULE
        granian = os.path.join(os.path.dirname(sys.executable), "granian")
        os.execv(  # noqa: S606 - replaces this process with the server
            granian,
            [
                granian,
                "--interface",
                "wsgi",
                "motcua.wsgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(options["port"]),
                "--workers",
                "2",
                # Django is synchronous: one thread per worker process avoids contention for the interpreter lock.
                "--blocking-threads",
                "1",
                "--access-log",
            ],
        )

    def _start_national_systems(self, base: str) -> None:
        """The national systems' simulators and the outbox worker, in the foreground's process group: Ctrl+C
        stops them with the server. The DVCQG simulator hands dossiers over with the channel account's token, and
        this server fetches their files from it (plain HTTP on this machine, for the demo only)."""
        dvcqg = f"127.0.0.1:{SIMULATORS['dvcqg'][1]}"
        os.environ.setdefault("MOTCUA_DVCQG_FILE_HOSTS", dvcqg)
        os.environ.setdefault("MOTCUA_DVCQG_FILE_SCHEMES", "http,https")
        channel = User.objects.filter(username="dvcqg").first()
        env = {**os.environ, "MOTCUA_DVCQG_PROVINCE_URL": base}
        if channel is not None:
            env["MOTCUA_DVCQG_PROVINCE_TOKEN"] = issue_token(channel, lifetime=timedelta(days=1))[1]
        motcua = [sys.executable, "-m", "motcua"]
        for name, (_module, port) in SIMULATORS.items():
            subprocess.Popen([*motcua, "simulate", name], env=env)
            self.stdout.write(f"Mô phỏng {name}: http://127.0.0.1:{port}/")
        self.stdout.write(f"Nộp hồ sơ trên Cổng DVCQG (mô phỏng) và chuyển về tỉnh: http://{dvcqg}/")
        subprocess.Popen([*motcua, "integrations", "worker"])
