"""`spasmbot` command line: run, migrate, setup-bot, check-content, generate-key, rotate-key,
fakeapi.

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

from bot.content import ContentError, content_warnings, load_content
from bot.logging_setup import configure_logging
from bot.settings import Settings, SettingsError, load_settings
from bot.startup import database_problems, telegram_problems, webhook_problems

log = logging.getLogger("spasmbot")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="spasmbot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "run", help="apply migrations, then run the bot (long polling; a webhook with WEBHOOK_URL)"
    )
    commands.add_parser("migrate", help="apply database migrations to DATABASE_URL")
    commands.add_parser(
        "setup-bot", help="set the bot's commands and (short) descriptions in Telegram"
    )
    commands.add_parser("check-content", help="validate content/ and list every problem")
    commands.add_parser("generate-key", help="print a new key for ENCRYPTION_KEY")
    rotate = commands.add_parser(
        "rotate-key", help="re-encrypt every stored note with the newest ENCRYPTION_KEY"
    )
    rotate.add_argument("--batch-size", type=_positive, default=500, help="notes per transaction")
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
        if args.command == "generate-key":
            from bot.db.crypto import generate_key

            print(generate_key())
            return 0
        settings = load_settings()
        if args.command == "check-content":
            return check_content(settings)
        if args.command == "migrate":
            _configure_logging(settings)
            asyncio.run(migrate(settings))
            return 0
        if args.command == "setup-bot":
            _configure_logging(settings, settings.require_token())
            return asyncio.run(setup_bot(settings))
        if args.command == "rotate-key":
            _configure_logging(settings)
            return asyncio.run(rotate_key(settings, args.batch_size))
        if args.command == "sandbox":
            sandbox_tool = _developer_tool("sandbox")
            configure_logging("WARNING", sandbox_tool.SANDBOX_TOKEN)
            settings = _developer_tool("localkey").with_local_key(settings)
            asyncio.run(prepare(settings))
            return int(sandbox_tool.main(settings, args.port))
        if args.command == "try":
            tryout = _developer_tool("tryout")
            configure_logging("WARNING", tryout.TRY_TOKEN)
            settings = _developer_tool("localkey").with_local_key(settings)
            asyncio.run(prepare(settings))
            return int(tryout.main(settings, args.language))
        return run(settings)
    except SettingsError as exc:
        print(f"spasmbot: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # never a raw traceback: it could carry the token or a URL
        log.error("unexpected error", exc_info=exc)  # through the redacting log filter
        print(f"spasmbot: unexpected error ({type(exc).__name__}); see the log", file=sys.stderr)
        return 1


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("must be a whole number of at least 1")
    return int(text)


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
    warnings = content_warnings(content)
    print(
        f"content OK: {len(content.topics)} topics, {len(content.tips)} tips, "
        f"{len(content.ui)} other texts, NL and EN"
        + (f"; {len(warnings)} warning(s), not problems:" if warnings else "")
    )
    for warning in warnings:  # not finished, not broken: the exit code stays 0
        print(f"- warning: {warning}")
    return 0


async def setup_bot(settings: Settings) -> int:
    """What Telegram shows of the bot, per language, from content/ (bot/telegram_profile)."""
    from telegram import Bot

    from bot.telegram_profile import set_commands, set_descriptions

    try:
        content = load_content(settings.content_dir)
    except ContentError as exc:
        log.error("content is broken; run `spasmbot check-content`: %s", exc.problems[0])
        return 1
    bot = Bot(
        settings.require_token(),
        base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_base_file_url,
    )
    with telegram_problems(settings):
        async with bot:
            await set_commands(bot, content)
            await set_descriptions(bot, content)
    print("setup-bot: commands, description and short description set (nl, en; en is the default)")
    return 0


async def migrate(settings: Settings) -> None:
    from bot.db.crypto import keyring_for
    from bot.db.migrate import upgrade
    from bot.db.session import create_engine

    engine = create_engine(settings.database_url, keyring_for(settings))
    try:
        with database_problems(settings):
            await upgrade(engine)
    finally:
        await engine.dispose()
    log.info("database is at the newest migration")


async def prepare(settings: Settings) -> None:
    """Migrate, then refuse to go on (WrongKey, one line) if the keys do not open the
    notes already stored: nothing is written with a wrong key."""
    from bot.db.crypto import require_keyring
    from bot.db.session import create_engine, create_sessionmaker
    from bot.services.note_keys import check_keys_open_notes

    keyring = require_keyring(settings)
    await migrate(settings)
    engine = create_engine(settings.database_url)
    try:
        await check_keys_open_notes(create_sessionmaker(engine), keyring)
    finally:
        await engine.dispose()


async def rotate_key(settings: Settings, batch_size: int) -> int:
    """`spasmbot rotate-key`: every note under the newest key; says how many changed."""
    from bot.db.crypto import require_keyring
    from bot.db.session import create_engine, create_sessionmaker
    from bot.services.note_keys import rotate_notes

    keyring = require_keyring(settings)
    await migrate(settings)
    engine = create_engine(settings.database_url)
    try:
        rotation = await rotate_notes(create_sessionmaker(engine), keyring, batch_size)
    finally:
        await engine.dispose()
    print(
        f"rotate-key: {rotation.rewritten} notes re-encrypted with the newest key, "
        f"{rotation.current} already used it"
    )
    return 0


def run(settings: Settings) -> int:
    from bot.app import build_application, serve
    from bot.db.crypto import require_keyring

    token = settings.require_token()
    require_keyring(settings)
    settings.require_operator()
    webhook = settings.webhook()
    _configure_logging(settings, token)
    try:
        content = load_content(settings.content_dir)
    except ContentError as exc:
        log.error("content is broken; run `spasmbot check-content`: %s", exc.problems[0])
        return 1
    for warning in content_warnings(content):
        log.warning("content not finished: %s", warning)
    asyncio.run(prepare(settings))
    application = build_application(settings, content=content)
    log.info("bot starting (Bot API at %s)", settings.telegram_base_url)
    with telegram_problems(settings), database_problems(settings):
        if webhook is not None:
            log.info(
                "webhook mode: listening on %s:%d%s for %s",
                webhook.listen,
                webhook.port,
                webhook.path,
                webhook.url,
            )
            with webhook_problems(webhook):
                asyncio.run(serve(application))
            return 0
        # Polling; pending updates are never dropped: what users sent while the bot was
        # down is answered now.
        asyncio.run(serve(application))
    return 0


def _configure_logging(settings: Settings, token: str | None = None) -> None:
    configure_logging(settings.log_level, token, settings.log_format)
