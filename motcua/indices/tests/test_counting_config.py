"""How the counters read a dossier's history is part of the versioned 766 configuration, each rule with its source."""

from dataclasses import replace
from datetime import date

from motcua.dossiers import counters
from motcua.dossiers.counters import PauseRule
from motcua.indices.config import INDEX_766_V1, INDEX_766_VERSIONS, counting_on, counts_late_by_rounds


def test_more_than_one_supplement_request_is_late_in_the_versions_that_say_so() -> None:
    assert INDEX_766_V1.counting.late_after_requests == 1
    assert "2.1" in INDEX_766_V1.counting_source and "bổ sung" in INDEX_766_V1.counting_source
    assert [counts_late_by_rounds(INDEX_766_V1, rounds) for rounds in (0, 1, 2, 3)] == [False, False, True, True]
    without = replace(INDEX_766_V1, counting=replace(INDEX_766_V1.counting, late_after_requests=None))
    assert not counts_late_by_rounds(without, 5)


def test_each_figure_states_its_pause_rule_and_the_index_follows_the_method() -> None:
    for version in INDEX_766_VERSIONS:
        rules = {use.figures: use for use in version.pause_rules}
        assert all(use.source for use in version.pause_rules)
        index = next(use for name, use in rules.items() if "2.1" in name)
        appointment = next(use for name, use in rules.items() if "hẹn trả" in name.lower())
        assert index.rule is PauseRule.ELAPSED and appointment.rule is PauseRule.APPOINTMENT
        assert version.counting.supplement_wait is index.rule
    assert INDEX_766_V1.counting.supplement_wait is PauseRule.ELAPSED


def test_the_counters_count_by_the_version_in_force_on_the_day_of_the_event() -> None:
    assert counters.counting_on(date(2026, 3, 10)) is INDEX_766_V1.counting
    assert counting_on(date(2026, 3, 10)) is INDEX_766_V1.counting
    # Events before the first version are read by the first version's rules: no period before it can be scored.
    assert counting_on(date(2020, 1, 1)) is INDEX_766_VERSIONS[0].counting
