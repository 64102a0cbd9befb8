"""Moving learning in and out of tutor: Anki and CSV export, JSON backups, CSV import, new decks.

Nothing here imports Textual, numpy or SymPy; genanki is imported only by `export_anki`.
"""

from tutor.interop.anki import AnkiSummary, export_anki
from tutor.interop.backup import (
    BackupError,
    export_backup,
    import_backup,
    read_backup,
    restore_settings,
    review_counts,
    write_backup,
)
from tutor.interop.csvio import CsvImportError, export_csv, import_csv
from tutor.interop.errors import ExportError, InteropError
from tutor.interop.scaffold import ScaffoldError, new_deck

__all__ = [
    "AnkiSummary", "BackupError", "CsvImportError", "ExportError", "InteropError", "ScaffoldError",
    "export_anki", "export_backup", "export_csv", "import_backup", "import_csv", "new_deck", "read_backup",
    "review_counts",
    "restore_settings", "write_backup",
]
