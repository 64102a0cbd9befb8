"""The repository explains itself: ARCHITECTURE.md names every package with the imports it may
make, and no comment or docstring in tutor/ cites a document the repository does not hold."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

from tests.conftest import REPO

TUTOR = REPO / "tutor"
WATCHED_LIBRARIES = ("textual", "sympy", "numpy")  # the heavy ones the layers are about


def _rows() -> dict[str, set[str]]:
    """package -> what it may import, from the table under '## Layers'."""
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = text.split("\n## Layers", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`tutor"):
            allowed = set(re.findall(r"`(tutor[\w.]*)`", cells[2]))
            allowed |= {lib for lib in WATCHED_LIBRARIES if re.search(rf"\b{lib}\b", cells[2])}
            if "every service above" in cells[2]:
                allowed |= SERVICES
            rows[cells[0].strip("`")] = allowed
    return rows


SERVICES = {"tutor.errors", "tutor.checks", "tutor.clock", "tutor.config", "tutor.content", "tutor.schedule",
            "tutor.store", "tutor.study", "tutor.reference", "tutor.drills", "tutor.derive", "tutor.interop"}


def _unit(path: Path) -> str:
    """The row a file belongs to: its top-level package or module under tutor/."""
    first = path.relative_to(TUTOR).parts[0]
    return "tutor" if first in ("__init__.py", "__main__.py") else "tutor." + first.removesuffix(".py")


def _imports(path: Path) -> set[str]:
    """Every tutor unit and watched library the file imports, at module level or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "tutor":
                names += [f"tutor.{alias.name}" for alias in node.names if alias.name != "__version__"]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "tutor" and len(parts) > 1:
                found.add(".".join(parts[:2]))
            elif parts[0] in WATCHED_LIBRARIES:
                found.add(parts[0])
    return found


def test_architecture_names_every_package_and_module():
    rows = _rows()
    units = {_unit(p) for p in TUTOR.rglob("*.py")}
    assert units - rows.keys() == set(), "packages missing from ARCHITECTURE.md's Layers table"
    assert rows.keys() - units == set(), "ARCHITECTURE.md names packages the tree does not have"


def test_every_import_is_one_its_row_allows():
    rows = _rows()
    wrong = []
    for path in sorted(TUTOR.rglob("*.py")):
        unit = _unit(path)
        for imported in sorted(_imports(path) - rows.get(unit, set()) - {unit}):
            wrong.append(f"{path.relative_to(REPO)} imports {imported}, not in the row of {unit}")
    assert wrong == []


CITATION = re.compile(r"[\w./-]+\.md\b")
DOCUMENT = re.compile(r"[A-Za-z_]+\.md")  # README.md, grading.md; lessons/01-momentum.md is deck data
OUTSIDE = re.compile(r"\bDESIGN\b|§")  # the design brief and its section numbers live outside


def _comments_and_strings(path: Path):
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    for token in tokens:
        if token.type in (tokenize.COMMENT, tokenize.STRING):
            yield token.start[0], token.string


def _exists(name: str, beside: Path) -> bool:
    name = name.strip("./")
    return (REPO / name).exists() or (beside / name).exists() or any(REPO.glob(f"**/{Path(name).name}"))


def test_comments_cite_only_documents_in_the_repository():
    bad = []
    for path in sorted([*TUTOR.rglob("*.py"), *TUTOR.rglob("*.tcss"), *TUTOR.rglob("*.md")]):
        if path.suffix == ".py":
            texts = list(_comments_and_strings(path))
        else:
            texts = list(enumerate(path.read_text(encoding="utf-8").splitlines(), 1))
        for line, text in texts:
            where = f"{path.relative_to(REPO)}:{line}"
            bad += [f"{where}: cites {m.group()}" for m in OUTSIDE.finditer(text)]
            bad += [f"{where}: cites {name}, not in the repository" for name in CITATION.findall(text)
                    if DOCUMENT.fullmatch(Path(name).name) and not _exists(name, path.parent)]
    assert bad == []


def test_the_citation_check_catches_outside_documents(tmp_path):
    """The check above is not vacuous: these lines would fail it."""
    assert OUTSIDE.search("Rules (DESIGN §3), with k the rung")
    assert DOCUMENT.fullmatch("grading.md") and not _exists("grading.md", TUTOR)
    assert _exists("ARCHITECTURE.md", TUTOR) and _exists("README.md", TUTOR / "drills")


SQL = re.compile(r"\b(SELECT|INSERT INTO|INSERT OR|UPDATE \w+ SET|DELETE FROM|PRAGMA|CREATE TABLE|DROP TABLE)\b")
NO_SQL = ("study", "cli")  # SQL lives in tutor/store (ARCHITECTURE.md, Layers)


def _sql_strings(path: Path) -> list[str]:
    """`line: text` for each string literal (f-strings too) that holds an SQL statement."""
    return [f"{line}: {text[:60]}" for line, text in _comments_and_strings(path)
            if text[:1] != "#" and SQL.search(text)]


def test_sql_lives_in_the_store():
    found = [f"{path.relative_to(REPO)}:{hit}" for package in NO_SQL
             for path in sorted((TUTOR / package).rglob("*.py")) for hit in _sql_strings(path)]
    assert found == []


def test_the_sql_check_catches_a_query(tmp_path):
    """The check above is not vacuous: queries left in a service fail it, prose does not."""
    stray = tmp_path / "stray.py"
    stray.write_text('rows = con.execute(f"SELECT day FROM reviews r WHERE {LIVE}")\n'
                     'con.execute("DELETE FROM drafts WHERE item_id = ?", (x,))\n'
                     '"""Select the items due, then update the counts."""  # a SELECT in a comment\n',
                     encoding="utf-8")
    assert [hit.partition(":")[0] for hit in _sql_strings(stray)] == ["1", "2"]


def test_the_live_review_condition_is_written_once():
    """"Not an undo record and not undone" is the store's `_LIVE`; a copy would drift."""
    copies = [str(path.relative_to(REPO)) for path in TUTOR.rglob("*.py")
              if "undoes = r.id" in path.read_text(encoding="utf-8")]
    assert copies == ["tutor/store/db.py"]
    assert (TUTOR / "store" / "db.py").read_text(encoding="utf-8").count("undoes = r.id") == 1
