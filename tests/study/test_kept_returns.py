"""The load balancer's kept Good returns (`Study.returns_of_due`, stepped by each review instead
of read again) always equal a fresh read of the store."""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import LINALG
from tutor.schedule import AGAIN, EASY, GOOD, HARD
from tutor.study import open_study

D = date(2026, 1, 5)
ITEMS = ("eigenvector-definition", "trace-2x2", "det-2x2", "rank-nullity", "orthogonal-inverse")


def _fresh(study, until: date, horizon: int) -> dict[int, Counter]:
    study._reads = None  # what a new read of the store gives
    return _nonzero(study.returns_of_due(until, horizon))


def _nonzero(returns: dict[int, Counter]) -> dict[int, Counter]:
    return {offset: +work for offset, work in returns.items() if +work}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days=st.lists(st.lists(st.tuples(st.integers(0, len(ITEMS) - 1),
                                        st.sampled_from([GOOD, GOOD, GOOD, EASY, HARD, AGAIN])), max_size=8),
                     min_size=1, max_size=12))
def test_kept_returns_stepped_by_reviews_equal_a_fresh_read(days):
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        patch.setenv("TUTOR_NOW", f"{D.isoformat()}T10:00:00")
        study = open_study(Path(tmp), roots=[LINALG])
        try:
            for n, reviews in enumerate(days):
                day = D + timedelta(days=3 * n)
                patch.setenv("TUTOR_NOW", f"{day.isoformat()}T10:00:00")
                keys = [(day + timedelta(days=until), horizon) for until in (0, 2, 6) for horizon in (9, 30)]
                kept = {key: study.returns_of_due(*key) for key in keys}  # read before the reviews
                for index, rating in reviews:
                    study.review(ITEMS[index], rating)
                assert study.kept_reads().returns, "the reviews dropped what was kept"
                stepped = {key: _nonzero(kept[key]) for key in keys}
                assert stepped == {key: _fresh(study, *key) for key in keys}
        finally:
            study.close()
