"""What only the engines can check in a deck: drill references, cases and mistakes run in the
sandbox, model derivations and formula answers run through SymPy (slow; `tutor content validate`),
variant items drawn 200 times (`tutor.study.variants`).

The engines are imported directly, for the first item that needs one: one that cannot be
imported is an error, never a deck reported as fine.
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
    variant item's (`tutor.study.variants`); raises EngineMissing when an engine cannot be
    imported. The engines are imported for the first item that needs one: a deck of plain
    cards (10,000 of them: 50 ms of imports) never loads them."""
    engines: _Engines | None = None
    issues: list[ContentIssue] = []
    for item in lib.items.values():
        formula_card = isinstance(item, m.Card) and isinstance(item.expects, m.FormulaAnswer)
        if item.variation is None and not formula_card and not isinstance(item, (m.Drill, m.Derivation)):
            continue
        engines = engines or _Engines()
        if item.variation is not None:
            found = engines.check_variation(item)
            if not found and formula_card:
                found = engines.validate_formula_card(engines.first_variant(item))  # type: ignore[arg-type]
        elif isinstance(item, m.Drill):
            found = engines.validate_drill(item)
        elif isinstance(item, m.Derivation):
            found = engines.validate_derivation(item)
        else:
            found = engines.validate_formula_card(item)  # type: ignore[arg-type]
        for path, message in found:
            where = item.where(path)
            issues.append(ContentIssue(where.file, where.line, f"{item.id}.{path}" if path else item.id, message))
    return issues


class _Engines:
    """The engines' checks, imported directly: one that cannot be imported is an error."""

    def __init__(self) -> None:
        try:
            from tutor.derive import validate_derivation
            from tutor.drills import validate_drill
            from tutor.study.answers import validate_formula_card
            from tutor.study.variants import check_variation, first_variant
        except ImportError as exc:
            raise EngineMissing(f"cannot check the content: an engine does not load ({type(exc).__name__}: "
                                f"{exc}); reinstall tutor, or run `tutor content validate --quick`") from None
        self.validate_derivation, self.validate_drill = validate_derivation, validate_drill
        self.validate_formula_card = validate_formula_card
        self.check_variation, self.first_variant = check_variation, first_variant
