"""The cyclic collector's pauses (`tutor.collector`): whoever pauses it, on whatever thread, it
runs again only once every pause has ended, and only if it ran before the first."""

from __future__ import annotations

import gc

import pytest

from tutor import collector


@pytest.fixture(autouse=True)
def collector_on():
    assert gc.isenabled()
    yield
    assert gc.isenabled()


def test_the_collector_runs_again_only_when_the_last_pause_ends():
    collector.pause()  # the app answering a key
    with collector.paused():  # a parse that starts and ends meanwhile
        assert not gc.isenabled()
    assert not gc.isenabled()  # the key is still being answered
    collector.resume()
    assert gc.isenabled()


def test_pauses_may_end_in_any_order():
    collector.pause()
    collector.pause()
    collector.resume()  # the first to pause is not the last to end
    assert not gc.isenabled()
    collector.resume()
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_resume_without_a_pause_is_refused():
    with pytest.raises(RuntimeError):
        collector.resume()
    assert gc.isenabled()
