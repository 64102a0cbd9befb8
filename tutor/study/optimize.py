"""`tutor optimize` and `tutor simulate`: FSRS fitted to this learner, and what a retention costs.

The engine is `tutor.schedule.fitting`; this module reads the log from the store, keeps fitted
parameters there (with their date, review count and figures) and replays history when they
change, so the schedule, the simulator and recall predictions all use the same parameters.
Nothing here deletes or rewrites a review.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tutor.schedule.fitting import (
    FittingError,
    Log,
    best_trade,
    calibration,
    fit,
    habits,
    health,
    predictions,
    read_log,
)
from tutor.schedule.fitting import simulate as run_simulation
from tutor.schedule.fsrs_scheduler import default_parameters
from tutor.study.service import Study

RETENTIONS = (0.80, 0.85, 0.90, 0.95)
MAX_DAYS = 3650
MAX_RETENTIONS = 20


def _log(study: Study, deck: str | None) -> Log:
    if deck is not None and deck not in {d.id for d in study.decks()} and not study.store.rated_log(deck):
        raise FittingError(f"unknown deck {deck!r} (see `tutor content list`)")
    return read_log(study.store.rated_log(deck))


def parameters_in_use(study: Study, deck: str | None) -> tuple[float, ...]:
    return study.fsrs_parameters(deck) or default_parameters()


def optimize(study: Study, deck: str | None = None) -> dict[str, Any]:
    """Fit FSRS to the learner's reviews (of `deck`, else all) and keep the fit if it predicts better."""
    log = _log(study, deck)
    result = fit(log)
    evaluation = result.evaluation
    if result.status == "fitted" and result.parameters is not None and evaluation is not None:
        figures = {"log_loss": {"default": evaluation.default.log_loss, "fitted": evaluation.fitted.log_loss},
                   "rmse_bins": {"default": evaluation.default.rmse_bins, "fitted": evaluation.fitted.rmse_bins},
                   "held_out": evaluation.tested}
        study.store.add_fsrs_parameters(deck, result.parameters, study.now(), result.health.reviews, figures)
        study.reload_parameters()

    def pair(name: str) -> dict[str, float | None]:
        if evaluation is None:
            return {"default": None, "fitted": None}
        return {"default": getattr(evaluation.default, name), "fitted": getattr(evaluation.fitted, name)}

    return {"status": result.status, "deck": deck, "reviews": result.health.reviews, "items": result.health.items,
            "parameters": [round(p, 4) for p in parameters_in_use(study, deck)],
            "log_loss": pair("log_loss"), "rmse_bins": pair("rmse_bins"),
            "held_out": evaluation.tested if evaluation else 0, "problems": list(result.health.reasons),
            "message": result.message}


def reset(study: Study, deck: str | None = None) -> dict[str, Any]:
    """Back to FSRS's defaults (for `deck`, else everywhere); past fits stay in the store's history."""
    scopes = [deck] if deck is not None else list(study.fitted)
    for scope in scopes:
        if scope in study.fitted:
            study.store.add_fsrs_parameters(scope, None, study.now(), 0, {"reset": True})
    changed = any(scope in study.fitted for scope in scopes)
    study.reload_parameters()
    where = f"deck {deck}" if deck else "every deck"
    return {"status": "reset", "deck": deck, "parameters": [round(p, 4) for p in parameters_in_use(study, deck)],
            "message": (f"FSRS uses its default parameters again for {where}; history replayed, nothing lost."
                        if changed else f"FSRS already uses its default parameters for {where}.")}


def simulate(study: Study, retentions: Sequence[float] = RETENTIONS, days: int = 30,
             deck: str | None = None, log: Log | None = None) -> dict[str, Any]:
    """Minutes per day and items remembered after `days` for each desired retention."""
    if not retentions or len(retentions) > MAX_RETENTIONS:
        raise FittingError(f"give 1 to {MAX_RETENTIONS} retentions")
    for retention in retentions:
        if not 0.7 <= retention <= 0.99:
            raise FittingError(f"retention {retention} is outside 0.70 to 0.99")
    if not 1 <= days <= MAX_DAYS:
        raise FittingError(f"days must be between 1 and {MAX_DAYS}")
    log = log if log is not None else _log(study, deck)
    deck_size = max(study.store.catalog_size(deck), len(log.items))
    learner = habits(log)
    rows = run_simulation(parameters_in_use(study, deck), sorted(set(retentions)), days, deck_size,
                          study.settings.new_per_day, learner)
    best = best_trade(rows)
    fitted = study.fsrs_parameters(deck) is not None
    return {"rows": rows, "days": days, "deck": deck, "deck_size": deck_size,
            "new_per_day": study.settings.new_per_day, "parameters": "fitted" if fitted else "defaults",
            "answer_times": "yours" if learner.own_times else "typical",
            "best": best["retention"] if best else None,
            "message": (f"{best['retention']:.0%} trades minutes for memory best: {best['remembered']:.0f} items "
                        f"remembered for {best['minutes_per_day']:.1f} min a day; above it each minute buys less"
                        if best else "nothing to study")}


def recall_calibration(study: Study, deck: str | None = None, log: Log | None = None) -> dict[str, Any]:
    """How well FSRS predicts this learner's recall on the reviews they did (by any scheduler)."""
    log = log if log is not None else _log(study, deck)
    parameters = parameters_in_use(study, deck)
    pairs = predictions(log, parameters)
    mean_predicted = sum(p for p, _ in pairs) / len(pairs) if pairs else None
    measured = sum(r for _, r in pairs) / len(pairs) if pairs else None
    return {"reviews": len(pairs), "parameters": "fitted" if study.fsrs_parameters(deck) else "defaults",
            "mean_predicted": round(mean_predicted, 4) if mean_predicted is not None else None,
            "measured": round(measured, 4) if measured is not None else None,
            "desired_retention": study.settings.desired_retention,
            "bins": calibration(log, parameters),
            "advice": _advice(study.settings.scheduler, study.settings.desired_retention, mean_predicted, measured)}


CLOSE = 0.03  # recall figures this close count as the same


def _advice(scheduler: str, desired: float, predicted: float | None, measured: float | None) -> str:
    """One or two sentences on what the calibration says, for a ladder or an FSRS learner."""
    if predicted is None or measured is None:
        return "No item has been reviewed on a later day yet: nothing to compare."
    if abs(predicted - measured) <= CLOSE:
        fits = f"FSRS predicted {predicted:.0%} recall and you recalled {measured:.0%}: it knows your memory."
    else:
        fits = (f"FSRS predicted {predicted:.0%} recall but you recalled {measured:.0%}: `tutor optimize` "
                "fits it to you once you have enough reviews.")
    if scheduler != "ladder":
        return fits
    if predicted > desired + CLOSE:
        timing = (f" The ladder reviews items FSRS still expects you to recall at {predicted:.0%}; aiming at "
                  f"{desired:.0%}, FSRS (--scheduler fsrs) would space them further: fewer reviews.")
    elif predicted < desired - CLOSE:
        timing = (f" The ladder lets recall fall to {predicted:.0%} before a review; FSRS (--scheduler fsrs) "
                  f"would review sooner and keep {desired:.0%}.")
    else:
        timing = " The ladder reviews about when FSRS would: switching would change little."
    return fits + timing


def overview(study: Study, days: int = 30) -> dict[str, Any]:
    """What the stats screen shows about FSRS, from one read of the log: whether a fit is on
    offer (and what is missing), the fit in use, calibration and the workload simulation."""
    log = _log(study, None)
    checked = health(log)
    in_use = study.fitted.get(None)
    calibrated = recall_calibration(study, None, log)
    return {"scheduler": study.settings.scheduler, "health": {"reviews": checked.reviews, "items": checked.items,
                                                            "enough_data": checked.enough_data,
                                                            "problems": list(checked.reasons)},
            "fitted": {"at": in_use.fitted_at, "reviews": in_use.reviews} if in_use else None,
            "calibration": calibrated, "simulation": simulate(study, RETENTIONS, days, None, log)}
