"""Study services: today's queue, deck plans and their checkpoints, statistics."""

from tutor.study.service import Checkpoint, QueueEntry, Study, UnknownItem, open_study

__all__ = ["Checkpoint", "QueueEntry", "Study", "UnknownItem", "open_study"]
