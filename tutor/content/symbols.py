"""Derivation symbols that look like an indexed family but were declared as one number.

`x_i: {}` declares a single real named x_i: `x_1`, `x_k` and `x_{t-1}` are then unknown
names, and an author who meant the batch x_1 .. x_n finds out only when a right line fails.
`tutor content validate` warns about it (the deck still loads); `{indexed: true}` (data) or
`{random: true}` declares the family.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tutor.content.models import Derivation, Item

USUAL_INDICES = frozenset("ijklnst")


def scalar_families(item: Item) -> list[tuple[str, str]]:
    """(key path, message) for each symbol `NAME_INDEX` that is not declared as a family while
    INDEX is an integer symbol of the derivation or a usual index letter."""
    if not isinstance(item, Derivation):
        return []
    symbols: Mapping[str, Any] = item.symbols or {}
    integers = {name for name, spec in symbols.items() if isinstance(spec, Mapping) and spec.get("integer")}
    found = []
    for name, spec in symbols.items():
        family, sep, index = str(name).rpartition("_")
        if not (sep and family) or (isinstance(spec, Mapping) and (spec.get("indexed") or spec.get("random"))):
            continue
        if index in integers or index in USUAL_INDICES:
            found.append((f"symbols.{name}",
                          f"{name} is declared as one number, so {family}_1 and {family}_{{{index}-1}} are "
                          f"unknown names: write `{name}: {{indexed: true}}` for the data {family}_1, "
                          f"{family}_2, ... (or {{random: true}}), or rename it (e.g. {family}{index}) "
                          "if one number is meant"))
    return found
