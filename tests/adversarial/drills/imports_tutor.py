# expect: error | tutor
from tutor.reference import adam_step  # noqa: F401  (the project is not importable in drills)
