"""`spasmbot` command line: run, migrate, check-content, fakeapi.

Only parses arguments and settings, then hands over to the composition root.
Operator mistakes (missing token, bad setting, broken content) print one clear
line and exit non-zero, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import sys
from types import ModuleType

from bot.content import ContentError, load_content
from bot.logging_setup import configure_logging
from bot.settings import Settings, SettingsError, load_settings

log = logging.getLogger("spasmbot")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="spasmbot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="apply migrations, then run the bot (long polling)")
    commands.add_parser("migrate", help="apply database migrations to DATABASE_URL")
    commands.add_parser("check-content", help="validate content/ and list every problem")
    try_parser = commands.add_parser(
        "try", help="chat with the bot in this terminal (fake Telegram)"
    )
    try_parser.add_argument("--language", choices=["nl", "en"], default="nl")
    sandbox = commands.add_parser("sandbox", help="the bot in a browser chat, no Telegram needed")
    sandbox.add_argument("--port", type=int, default=8080)
    fake = commands.add_parser("fakeapi", help="run the fake Telegram Bot API server")
    fake.add_argument("--port", type=int, default=8081)
    fake.add_argument("--token", default="123456:FAKE-TOKEN-for-local-tries")
    args = parser.parse_args(argv)
    try:
        if args.command == "fakeapi":
            fakeapi = _developer_tool("fakeapi.__main__")
            return int(fakeapi.main(["--port", str(args.port), "--token", args.token]))
        settings = load_settings()
        if args.command == "check-content":
            return check_content(settings)
        if args.command == "migrate":
            _configure_logging(settings)
            asyncio.run(migrate(settings))
            return 0
        if args.command == "sandbox":
            sandbox_tool = _developer_tool("sandbox")
            configure_logging("WARNING", sandbox_tool.SANDBOX_TOKEN)
            asyncio.run(migrate(settings))
            return int(sandbox_tool.main(settings, args.port))
        if args.command == "try":
            tryout = _developer_tool("tryout")
            configure_logging("WARNING", tryout.TRY_TOKEN)
            asyncio.run(migrate(settings))
            return int(tryout.main(settings, args.language))
        return run(settings)
    except SettingsError as exc:
        print(f"spasmbot: {exc}", file=sys.stderr)
        return 2


def _developer_tool(name: str) -> ModuleType:
    """The developer tools live in the source tree (`devtools/`), not in the wheel."""
    try:
        return importlib.import_module(f"devtools.{name}")
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("devtools"):
            raise
        raise SettingsError(
            "the developer tools (fake Telegram, sandbox, try-out) are not installed; "
            "run them from a source checkout: python3 dev.py sandbox"
        ) from None


def check_content(settings: Settings) -> int:
    try:
        content = load_content(settings.content_dir)
    except ContentError as exc:
        print(f"{len(exc.problems)} problem(s) in {settings.content_dir}:", file=sys.stderr)
        for problem in exc.problems:
            print(f"- {problem}", file=sys.stderr)
        return 1
    print(
        f"content OK: {len(content.topics)} topics, {len(content.tips)} tips, "
        f"{len(content.ui)} other texts, NL and EN"
    )
    return 0


async def migrate(settings: Settings) -> None:
    from bot.db.migrate import upgrade
    from bot.db.session import create_engine

    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()
    log.info("database is at the newest migration")


def run(settings: Settings) -> int:
    from bot.app import ALLOWED_UPDATES, build_application

    token = settings.require_token()
    _configure_logging(settings, token)
    try:
        content = load_content(settings.content_dir)
    except ContentError as exc:
        log.error("content is broken; run `spasmbot check-content`: %s", exc.problems[0])
        return 1
    asyncio.run(migrate(settings))
    application = build_application(settings, content=content)
    log.info("bot starting (Bot API at %s)", settings.telegram_base_url)
    # Never drop pending updates: what users sent while the bot was down is answered now.
    application.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
    return 0


def _configure_logging(settings: Settings, token: str | None = None) -> None:
    configure_logging(settings.log_level, token)
