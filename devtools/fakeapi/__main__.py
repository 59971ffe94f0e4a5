"""`python -m devtools.fakeapi --port 8081 --token 123:ABC`: run the fake until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys

from .fake import FakeTelegram

logger = logging.getLogger(__name__)


async def serve_forever(
    host: str,
    port: int,
    token: str,
    *,
    bot_username: str = "spasmbot_test_bot",
    strict: bool = False,
) -> None:
    """Serves until cancelled, after telling on stdout which URLs the bot should use."""
    fake = FakeTelegram(token=token, bot_username=bot_username, strict=strict)
    await fake.start(host=host, port=port)
    sys.stdout.write(
        f"Fake Telegram Bot API listening; configure the bot with\n"
        f"  TELEGRAM_BASE_URL={fake.base_url}\n"
        f"  TELEGRAM_BASE_FILE_URL={fake.base_file_url}\n"
        f"Control endpoints: http://{fake.host}:{fake.port}/_fake/\n"
    )
    sys.stdout.flush()
    try:
        await asyncio.Event().wait()
    finally:
        await fake.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.fakeapi", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456:TEST-TOKEN")
    parser.add_argument("--bot-username", default="spasmbot_test_bot")
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--strict", action="store_true", help="429 above 30/s or 1/s a chat")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(
            serve_forever(
                args.host,
                args.port,
                args.token,
                bot_username=args.bot_username,
                strict=args.strict,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
