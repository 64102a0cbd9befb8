"""Study services: today's queue, deck plans and their checkpoints, statistics, typed answers.

The service is imported on first use (PEP 562), so `tutor.study.answers` loads without the
store and the schedulers: `tutor answer` on a number or text card stays a quick command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tutor.study.service import Checkpoint, QueueEntry, Study, UnknownItem, open_study

__all__ = ["Checkpoint", "QueueEntry", "Study", "UnknownItem", "open_study"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from tutor.study import service

        return getattr(service, name)
    raise AttributeError(f"module 'tutor.study' has no attribute {name!r}")
