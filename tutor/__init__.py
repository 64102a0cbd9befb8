"""tutor: spaced repetition, graded drills and checked derivations for ML interview preparation."""

__version__ = "0.1.0"
