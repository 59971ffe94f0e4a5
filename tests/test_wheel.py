"""The wheel runs anywhere: installed apart from the checkout, it migrates and finds its texts.

The wheel is built from a copy of the checkout (so the build leaves nothing behind in
it) and installed without dependencies into its own folder; the current interpreter's
site-packages provide the dependencies. Everything then runs from an empty folder, and
the installed copy's PROJECT_ROOT has no content/ or alembic/: only the packaged data
can make it pass.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from contextlib import closing
from pathlib import Path

from bot.settings import PROJECT_ROOT

# .git, .venv, .env, the caches; earlier builds; what tests and tries leave behind
NOT_BUILT_FROM = (".*", "build", "dist", "*.egg-info", "__pycache__", "test-output", "*.sqlite3*")
PROBE = """
import importlib.util, bot
from bot.db.migrate import alembic_config
from bot.settings import Settings
print(bot.__file__)
print(Settings().content_dir)
print(alembic_config().get_main_option("script_location"))
print(importlib.util.find_spec("devtools"))
"""


def _pip(*args: str | Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *map(str, args)],
        check=True,
    )


def test_the_installed_wheel_migrates_and_checks_its_own_content(tmp_path: Path) -> None:
    source, wheels, site, workdir = (
        tmp_path.resolve() / name for name in ("src", "whl", "site", "run")
    )
    shutil.copytree(PROJECT_ROOT, source, ignore=shutil.ignore_patterns(*NOT_BUILT_FROM))
    _pip("wheel", "--no-deps", "--wheel-dir", wheels, source)
    [wheel] = wheels.glob("spasmbot-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "bot/_data/content/ui.yaml" in names
    assert "bot/_data/alembic/env.py" in names
    assert not [name for name in names if name.startswith("devtools/")]
    _pip("install", "--no-deps", "--target", site, wheel)
    assert not (site / "devtools").exists()

    workdir.mkdir()
    database = tmp_path / "x.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "CONTENT_DIR"}
    env |= {"PYTHONPATH": str(site), "DATABASE_URL": f"sqlite+aiosqlite:///{database}"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args], cwd=workdir, env=env, capture_output=True, text=True
        )

    spasmbot = str(site / "bin" / "spasmbot")  # the console script pip generated
    migrated = run(spasmbot, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    checked = run(spasmbot, "check-content")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("content OK")
    with closing(sqlite3.connect(database)) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"users", "alembic_version"} <= tables

    probe = run("-c", PROBE)
    assert probe.returncode == 0, probe.stderr
    package, content_dir, script_location, devtools = probe.stdout.splitlines()
    assert Path(package).is_relative_to(site)
    assert Path(content_dir) == site / "bot" / "_data" / "content"
    assert Path(script_location) == site / "bot" / "_data" / "alembic"
    assert devtools == "None"
