from argparse import ArgumentParser
from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand

from motcua.integrations.simulators import SIMULATORS


class Command(BaseCommand):
    help = "Chạy hệ thống mô phỏng (Cổng DVCQG, VNeID, thanh toán) tại 127.0.0.1, không cần Internet."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("name", choices=sorted(SIMULATORS))
        parser.add_argument("--port", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        module, default_port = SIMULATORS[options["name"]]
        port = options["port"] or default_port
        simulator = import_module(module).build()
        server = simulator.serve("127.0.0.1", port)
        self.stdout.write(f"{simulator.name}: http://127.0.0.1:{port}/ (điều khiển lỗi: POST /_control)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
