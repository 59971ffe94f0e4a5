"""Webhook mode: Telegram POSTs each update to us instead of us asking with getUpdates.

A small aiohttp server of our own, not python-telegram-bot's `Updater.start_webhook`.
PTB 22.8's handler (tornado, an extra dependency) answers a wrong or missing secret with
403 as wanted, but a body that is not JSON with 500 (Telegram then retries it forever),
and an update it cannot read with 400 after logging the whole body — what a user
wrote — at CRITICAL. Here:

- a missing or wrong `X-Telegram-Bot-Api-Secret-Token` → 403, nothing read further;
- a body that is not a JSON object with an integer `update_id` → 400;
- an update python-telegram-bot cannot read (a newer Bot API field it requires) → 200,
  logged by id and kind only and skipped, exactly as `bot.updates` does when polling
  (a non-2xx answer would make Telegram send it again and again);
- anything else → 200 at once; the update goes onto the Application's update queue and
  is handled after the answer, by the same `PerChatProcessor` as in polling mode.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.ext import Application, ExtBot

from bot.settings import SettingsError, WebhookSettings

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # an update is a few kB; a 1 MB body is not Telegram


def _answer(status: int, description: str) -> web.Response:
    return web.json_response({"ok": status == 200, "description": description}, status=status)


class WebhookServer:
    """Listens on WEBHOOK_LISTEN:WEBHOOK_PORT at WEBHOOK_PATH (behind the reverse proxy)."""

    def __init__(
        self, application: Application[Any, Any, Any, Any, Any, Any], webhook: WebhookSettings
    ) -> None:
        self._application = application
        self._webhook = webhook
        self._secret = webhook.secret.encode()
        self._runner: web.AppRunner | None = None
        self.unreadable = 0  # updates skipped since start
        self.refused = 0  # requests without the right secret
        self._refusal_logged_at: float | None = None

    async def start(self) -> None:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post(self._webhook.path, self.handle)
        # No access log: a proxy in front has its own, and ours adds nothing.
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        listen, port = self._webhook.listen, self._webhook.port
        try:
            await web.TCPSite(runner, listen, port).start()
        except OSError as exc:
            await runner.cleanup()
            raise SettingsError(
                f"cannot listen on WEBHOOK_LISTEN {listen}, WEBHOOK_PORT {port} "
                f"({exc.strerror or type(exc).__name__}): is another process using the port?"
            ) from None
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner

    async def stop(self) -> None:
        """No new updates are accepted; those already answered 200 stay on the queue."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            self.refused += 1
            now = time.monotonic()
            if self._refusal_logged_at is None or now - self._refusal_logged_at >= 60:
                # at most once a minute: someone probing the URL must not flood the log
                self._refusal_logged_at = now
                log.warning(
                    "webhook requests without the right secret token refused (403), %d since start",
                    self.refused,
                )
            return _answer(403, "Forbidden")
        try:
            data = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            return _answer(400, "Bad Request: the body is not JSON")
        update_id = data.get("update_id") if isinstance(data, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            return _answer(400, "Bad Request: not an update")
        bot = self._application.bot
        try:
            update = Update.de_json(data, bot)
        except Exception as exc:
            self.unreadable += 1
            kinds = [key for key in data if key != "update_id"]
            log.warning(
                "update %s (%s) could not be read and was skipped: %s",
                update_id,
                ",".join(kinds) or "empty",
                type(exc).__name__,
            )
            return _answer(200, "skipped")
        if isinstance(bot, ExtBot):
            bot.insert_callback_data(update)
        await self._application.update_queue.put(update)
        return _answer(200, "ok")
