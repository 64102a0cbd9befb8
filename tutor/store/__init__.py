"""Local storage: one SQLite file holding the review log, derived state, attempts and drafts."""

from tutor.store.db import (
    DB_NAME,
    CatalogDeck,
    CatalogItem,
    CatalogLesson,
    FittedParameters,
    ItemDay,
    LoggedReview,
    Store,
    StoreError,
)

__all__ = ["DB_NAME", "CatalogDeck", "CatalogItem", "CatalogLesson", "FittedParameters", "ItemDay", "LoggedReview",
           "Store", "StoreError"]
