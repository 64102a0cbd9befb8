"""Study services: today's queue, deck plans and their checkpoints, statistics."""

from tutor.study.service import Checkpoint, QueueEntry, Study, UnknownItem

__all__ = ["Checkpoint", "QueueEntry", "Study", "UnknownItem"]
