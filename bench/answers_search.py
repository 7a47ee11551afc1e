"""Public answers search p95 over ANSWERS published answers, beside a naive icontains scan, on DATABASE_URL.

Run by bench/run.py on PostgreSQL (the trigram index is PostgreSQL's); generates the cases and their answers once,
in bulk, then times the portal's search (`publication.answers`, first page) for random one- to three-word queries
typed without diacritics, and the naive scan for the same words with them. Prints one tab-separated line.
"""

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.base")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from motcua.core import clock  # noqa: E402
from motcua.core.text import fold  # noqa: E402
from motcua.demo.seed import seed  # noqa: E402
from motcua.feedback.lifecycle import Kind, Status, Topic  # noqa: E402
from motcua.feedback.models import FeedbackCase, PublicAnswer  # noqa: E402
from motcua.feedback.publication import answers  # noqa: E402
from motcua.organizations.models import Unit, UnitType, User  # noqa: E402

ANSWERS = int(os.environ.get("BENCH_ANSWERS", "200000"))
QUERIES = 300
BATCH = 5_000
WORDS = (  # noqa: SIM905 (a text to read)
    "đăng ký khai sinh kết hôn thường trú tạm trú chứng thực bản sao giấy phép xây dựng đất đai quyền sử "
    "dụng hộ kinh doanh thuế phí lệ phí hồ sơ trực tuyến cổng dịch vụ công bộ phận một cửa cán bộ công "
    "chức thái độ chậm trễ hẹn trả kết quả bổ sung giấy tờ danh mục thủ tục hành chính quy định chính "
    "sách trợ cấp bảo hiểm y tế xã hội giáo dục học sinh trường lớp môi trường rác thải nước sạch điện "
    "chiếu sáng giao thông đường cầu cống ngập úng an ninh trật tự hộ tịch căn cước cư trú xác nhận tình "
    "trạng hôn nhân người cao tuổi khuyết tật hộ nghèo nhà ở tái định cư bồi thường giải phóng mặt bằng "
    "quy hoạch sổ đỏ công chứng"
).split()


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] * 1000


def sentence(rng: random.Random, length: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(length)).capitalize() + "."


def generate(count: int) -> None:
    """Concluded PAKN with published answers, spread over the province's agencies and the last two years."""
    rng = random.Random(20)
    units = list(Unit.objects.filter(type__in=[UnitType.COMMUNE_COMMITTEE, UnitType.DEPARTMENT]))
    publisher = User.objects.get(username="mytho.lanhdao")
    now = clock.now()
    made = PublicAnswer.objects.count()
    while made < count:
        size = min(BATCH, count - made)
        cases, texts = [], []
        for n in range(made, made + size):
            unit, received = rng.choice(units), now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
            question, answer = sentence(rng, rng.randint(20, 40)), sentence(rng, rng.randint(30, 60))
            cases.append(FeedbackCase(
                code=f"PB-{n:08d}", tracking_secret="x", kind=Kind.PAKN, topic=Topic.REGULATION, channel="portal",
                status=Status.CONCLUDED, sender_name="Người gửi", content=question, handling_unit=unit,
                received_at=received, accept_due_at=received, due_at=received, closed_at=received, conclusion=answer,
                verified=True,
            ))  # fmt: skip
            texts.append((unit, received, question, answer))
        FeedbackCase.objects.bulk_create(cases)
        published = [
            PublicAnswer(case=case, code=case.code, unit=unit, topic=case.topic, question=question, answer=answer,
                         received_on=received.date(), published_at=received + timedelta(days=3),
                         published_by=publisher, search_text=fold(f"{question} {answer} {unit.name}"))
            for case, (unit, received, question, answer) in zip(cases, texts, strict=True)
        ]  # fmt: skip
        PublicAnswer.objects.bulk_create(published)
        made += size


def main() -> None:
    label = sys.argv[1]
    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="mytho.lanhdao").exists():
        seed(catalogue=False)
    began = time.perf_counter()
    generate(ANSWERS)
    generated = time.perf_counter() - began
    with connection.cursor() as cursor:  # what autovacuum does after a load: the planner needs the statistics
        cursor.execute(f"ANALYZE {PublicAnswer._meta.db_table}")
    rng = random.Random(19)
    queries = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))) for _ in range(QUERIES)]
    ours, naive = [], []
    for query in queries:
        began = time.perf_counter()
        list(answers(fold(query))[:21])  # a page and whether there is a next one, as the page and API ask
        ours.append(time.perf_counter() - began)
        began = time.perf_counter()
        list(PublicAnswer.objects.filter(answer__icontains=query).order_by("-published_at")[:20])
        naive.append(time.perf_counter() - began)
    count = PublicAnswer.objects.count()
    print(f"(generated in {generated:.0f} s)")
    print(f"answers search p95, {count:,} answers, {label} (ms)\t{p95(ours):.2f}\tnaive icontains\t{p95(naive):.2f}")


if __name__ == "__main__":
    main()
