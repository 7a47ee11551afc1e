"""The demo's PAR round: a published set for communes, this year's round open for every commune, one item fed."""

import pytest

from motcua.demo.par import OFFICER, seed_par
from motcua.demo.seed import DEMO_PASSWORD
from motcua.organizations.models import Unit, UnitType
from motcua.par.lifecycle import RoundStatus
from motcua.par.models import Assessment, Item, Round

pytestmark = pytest.mark.django_db


def test_the_demo_opens_this_years_commune_round_once() -> None:
    officer = seed_par(DEMO_PASSWORD)
    assert officer.username == OFFICER and officer.check_password(DEMO_PASSWORD)
    round_ = Round.objects.select_related("index_set").get()
    assert round_.status == RoundStatus.OPEN and round_.index_set.published_at is not None
    communes = Unit.objects.filter(type=UnitType.COMMUNE_COMMITTEE, valid_to__isnull=True).count()
    assert Assessment.objects.filter(round=round_).count() == communes > 0
    fed = Item.objects.filter(assessment__round=round_, sub_criterion__indicator="2.1")
    assert fed.count() == communes and all(i.snapshot.get("indicator") == "2.1" for i in fed)
    seed_par(DEMO_PASSWORD)
    assert Round.objects.count() == 1
