"""A screen's background work that fails is shown to the learner in the app's one error modal:
Textual does not pass a screen's worker errors on to the app, so each screen must."""

from __future__ import annotations

import inspect

from textual.screen import ModalScreen, Screen

from tests.tui.engines_app import wait_for
from tutor.tui.widgets.modals import MessageModal


async def test_the_fsrs_read_failing_on_the_stats_screen_opens_the_error_modal(make_app, monkeypatch):
    import tutor.study.optimize

    def broken(*args, **kwargs):
        raise OSError("disk I/O error")

    monkeypatch.setattr(tutor.study.optimize, "overview", broken)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MessageModal))
        assert "disk I/O error" in app.screen.body and "Nothing you saved is lost" in app.screen.body


def test_every_screen_of_the_app_passes_its_worker_errors_on():
    import importlib
    import pkgutil

    import tutor.tui.screens as screens
    from tutor.tui.messages import ShowsWorkerErrors

    missing = []
    for module in pkgutil.iter_modules(screens.__path__):
        loaded = importlib.import_module(f"{screens.__name__}.{module.name}")
        for name, cls in inspect.getmembers(loaded, inspect.isclass):
            if (issubclass(cls, Screen) and not issubclass(cls, ModalScreen) and cls.__module__ == loaded.__name__
                    and not issubclass(cls, ShowsWorkerErrors)):
                missing.append(f"{loaded.__name__}.{name}")
    assert missing == []


async def test_a_part_that_fails_to_render_is_an_error_modal_and_the_app_goes_on(make_app, monkeypatch):
    import tutor.tui.screens.reading as reading

    def broken(text):
        raise ValueError("a table the renderer cannot lay out")

    monkeypatch.setattr(reading, "display_markdown", broken)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, MessageModal))
        assert "cannot lay out" in app.screen.body
        await pilot.press("enter", "q")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        assert app.is_running
