"""A derivation that could not be checked has the same keys as every other result."""

import time

from tutor.derive.results import error_result, finished


def test_an_error_result_has_every_key_a_checked_result_has():
    started = time.monotonic()
    checked = finished("d", {"status": "pass", "goal_reached": True, "steps": []}, started)
    failed = error_result("d", "the checker failed: boom", started)
    assert list(failed) == list(checked)
    assert failed["status"] == "error" and failed["duration_s"] >= 0
