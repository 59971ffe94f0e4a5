#!/usr/bin/env python3
"""Developer entry point that needs nothing but Python 3.11 and pip.

    python3 dev.py sandbox  the real bot in a browser chat at http://127.0.0.1:8080
    python3 dev.py run      run the bot on Telegram (needs TELEGRAM_BOT_TOKEN; SQLite)
    python3 dev.py try      chat with the real bot in this terminal, no Telegram needed
    python3 dev.py fakeapi  only the fake Telegram Bot API server (--port 8081)
    python3 dev.py generate-key  print a new ENCRYPTION_KEY (for `run`)
    python3 dev.py test     the whole test suite: SQLite, then PostgreSQL if reachable
    python3 dev.py lint     ruff and mypy

Each command first makes `.venv` and installs the project into it when needed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
STAMP = VENV / ".installed-pyproject"


def ensure_venv() -> None:
    """Create .venv and (re)install when pyproject.toml changed since the last install."""
    if not PYTHON.exists():
        print("dev.py: creating .venv (first run, takes a minute)", file=sys.stderr, flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


def venv_run(*args: str, env: dict[str, str] | None = None) -> int:
    return subprocess.run([str(PYTHON), *args], cwd=ROOT, env=env).returncode


def test(extra: list[str]) -> int:
    env = {k: v for k, v in os.environ.items() if k != "SPASMBOT_TEST_DATABASE_URL"}
    print("== tests on SQLite", flush=True)
    if code := venv_run("-m", "pytest", *extra, env=env):
        return code
    created = subprocess.run(
        [str(PYTHON), "-m", "tests.auxil.postgres", "create"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if created.returncode != 0:
        reason = created.stderr.strip().splitlines()[-1] if created.stderr.strip() else "?"
        if os.environ.get("SPASMBOT_REQUIRE_POSTGRES"):
            print(f"== PostgreSQL is required here but not usable: {reason}", flush=True)
            return 1
        print(f"== PostgreSQL tests SKIPPED: {reason}", flush=True)
        return 0
    url = created.stdout.strip()
    print(f"== tests on PostgreSQL ({url.rsplit('/', 1)[-1]})", flush=True)
    try:
        return venv_run("-m", "pytest", *extra, env={**env, "SPASMBOT_TEST_DATABASE_URL": url})
    finally:
        venv_run("-m", "tests.auxil.postgres", "drop", url)


def lint() -> int:
    checks = [
        ("-m", "ruff", "check", "."),
        ("-m", "ruff", "format", "--check", "."),
        ("-m", "mypy"),
    ]
    return max(venv_run(*check) for check in checks)


def main(argv: list[str]) -> int:
    command, extra = (argv[0], argv[1:]) if argv else ("", [])
    if command not in {"sandbox", "run", "try", "fakeapi", "generate-key", "test", "lint"}:
        print(__doc__)
        return 2
    ensure_venv()
    if command == "test":
        return test(extra)
    if command == "lint":
        return lint()
    if os.name == "posix":  # become the bot, so Ctrl-C and SIGTERM reach it directly
        os.chdir(ROOT)
        os.execv(PYTHON, [str(PYTHON), "-m", "bot", command, *extra])
    return venv_run("-m", "bot", command, *extra)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
