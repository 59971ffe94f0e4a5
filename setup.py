"""One build step on top of pyproject.toml: the wheel carries content/ and alembic/.

Both folders stay at the top of the checkout, where people edit them, but setuptools
only ships files that sit inside a package. So build_py copies them to bot/_data/ in
the build folder, where `bot.settings.data_dir()` finds them. An editable install
copies nothing: there the code runs from the checkout and uses the folders themselves.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA = ("content", "alembic")  # the names `data_dir()` asks for


def data_files() -> list[Path]:
    """Every file of those folders, relative to the checkout, without Python's caches."""
    return [
        path.relative_to(ROOT)
        for name in DATA
        for path in sorted((ROOT / name).rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    ]


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib, "bot", "_data")
        shutil.rmtree(target, ignore_errors=True)  # a file deleted here must not stay in build/
        for path in data_files():
            self.mkpath(str((target / path).parent))
            self.copy_file(str(ROOT / path), str(target / path))

    def get_source_files(self) -> list[str]:
        """The sdist gets the folders too, so a wheel built from it (python -m build) has them."""
        return [*super().get_source_files(), *(path.as_posix() for path in data_files())]


setup(cmdclass={"build_py": BuildPyWithData})
