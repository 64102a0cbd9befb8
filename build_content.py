"""Build step: ship the decks in content/ inside the wheel as tutor/_content.

setuptools runs this (pyproject.toml: [tool.setuptools] cmdclass) when it builds a wheel; it
is never imported by tutor itself. A checkout reads content/ directly, an installed tutor
finds tutor/_content (see tutor.content.files.bundled_content_dir).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools.command.build_py import build_py

CONTENT = Path(__file__).resolve().parent / "content"
SHIPPED = (".yaml", ".yml", ".md")


class BuildPyWithContent(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # an editable install reads content/ in place
        target = Path(self.build_lib) / "tutor" / "_content"
        shutil.rmtree(target, ignore_errors=True)  # a deck deleted from content/ must not linger in build/
        for source in sorted(CONTENT.rglob("*")):
            if source.is_file() and source.suffix in SHIPPED and "__pycache__" not in source.parts:
                dest = target / source.relative_to(CONTENT)
                self.mkpath(str(dest.parent))
                self.copy_file(str(source), str(dest))
