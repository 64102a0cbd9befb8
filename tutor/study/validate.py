"""What only the engines can check in a deck: drill references, cases and mistakes run in the
sandbox, model derivations and formula answers run through SymPy (slow; `tutor content validate`),
variant items drawn 200 times (`tutor.study.variants`).

The engines are imported directly: one that cannot be imported is an error, never a deck
reported as fine.
"""

from __future__ import annotations

from tutor.content import models as m
from tutor.content.library import Library
from tutor.content.yamlsrc import ContentIssue
from tutor.errors import TutorError


class EngineMissing(TutorError):
    """An engine the content needs cannot be imported (a broken install)."""


def check_engines(lib: Library) -> list[ContentIssue]:
    """Every issue the drill and derivation engines find in the library's items, and every
    variant item's (`tutor.study.variants`); raises EngineMissing when an engine cannot be imported."""
    try:
        from tutor.derive import validate_derivation
        from tutor.drills import validate_drill
        from tutor.study.answers import validate_formula_card
        from tutor.study.variants import check_variation, first_variant
    except ImportError as exc:
        raise EngineMissing(f"cannot check the content: an engine does not load ({type(exc).__name__}: "
                            f"{exc}); reinstall tutor, or run `tutor content validate --quick`") from None

    issues: list[ContentIssue] = []
    for item in lib.items.values():
        formula_card = isinstance(item, m.Card) and isinstance(item.expects, m.FormulaAnswer)
        if item.variation is not None:
            found = check_variation(item)
            if not found and formula_card:
                found = validate_formula_card(first_variant(item))  # type: ignore[arg-type]
        elif isinstance(item, m.Drill):
            found = validate_drill(item)
        elif isinstance(item, m.Derivation):
            found = validate_derivation(item)
        elif formula_card:
            found = validate_formula_card(item)  # type: ignore[arg-type]
        else:
            continue
        for path, message in found:
            where = item.where(path)
            issues.append(ContentIssue(where.file, where.line, f"{item.id}.{path}" if path else item.id, message))
    return issues
