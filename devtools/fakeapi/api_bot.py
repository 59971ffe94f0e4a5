"""Bot API methods about the bot itself: identity, updates, webhook, commands, chats."""

from __future__ import annotations

import re
import time
from typing import Any

from .api_messages import Handler
from .errors import ApiError, bad_request
from .models import JSONDict
from .state import FakeState
from .validation import Params, chat_id_of, commands, language_code, opt_int, scope_key
from .webhook import acceptable_url

SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")

MENU_BUTTON_TYPES = frozenset({"commands", "web_app", "default"})


async def get_me(state: FakeState, params: Params) -> JSONDict:
    return {
        **state.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def ok(state: FakeState, params: Params) -> bool:
    """logOut and close: nothing to do locally, Telegram answers true."""
    return True


def _seconds(value: Any) -> float:
    try:
        return max(float(value or 0), 0.0)
    except (TypeError, ValueError):
        raise bad_request("wrong parameter timeout in request") from None


async def get_updates(state: FakeState, params: Params) -> list[JSONDict]:
    """Long poll: returns as soon as updates exist, after `timeout` s, or at shutdown.

    A newer getUpdates ends an older waiting one with 409, like Telegram does when two bot
    instances poll the same token.
    """
    if state.webhook_url:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    queue = state.updates
    limit = min(max(opt_int(params, "limit") or 100, 1), 100)
    timeout = _seconds(params.get("timeout"))
    allowed = params.get("allowed_updates")
    if isinstance(allowed, list):
        queue.allowed = frozenset(str(kind) for kind in allowed) or None
    queue.confirm(opt_int(params, "offset"))
    queue.poll_generation += 1
    generation = queue.poll_generation
    state.signal.fire()

    def superseded() -> bool:
        return queue.poll_generation != generation

    await state.signal.wait_for(
        lambda: state.closing or superseded() or bool(queue.pending), timeout
    )
    if superseded():
        raise ApiError(
            409,
            "Conflict: terminated by other getUpdates request; "
            "make sure that only one bot instance is running",
        )
    return [dict(update) for update in queue.pending[:limit]]


async def set_webhook(state: FakeState, params: Params) -> bool:
    """From now on queued updates are POSTed to the URL (`webhook.py`); getUpdates conflicts.
    An empty URL removes the webhook, as on Telegram."""
    url = str(params.get("url") or "")
    if url and not acceptable_url(url):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = str(params.get("secret_token") or "")
    if secret and not SECRET_TOKEN.fullmatch(secret):
        raise bad_request("bad webhook: secret token contains unallowed characters")
    max_connections = opt_int(params, "max_connections") or 40
    if not 1 <= max_connections <= 100:
        raise bad_request("bad webhook: max_connections must be between 1 and 100")
    allowed = params.get("allowed_updates")
    if isinstance(allowed, list):
        state.updates.allowed = frozenset(str(kind) for kind in allowed) or None
    state.webhook_url, state.webhook_secret = url, secret
    state.webhook_max_connections = max_connections
    if params.get("drop_pending_updates") is True:
        state.updates.pending.clear()
    if url:
        state.deliverer.ensure_running()
    state.signal.fire()
    return True


async def delete_webhook(state: FakeState, params: Params) -> bool:
    state.webhook_url = state.webhook_secret = state.webhook_last_error = ""
    if params.get("drop_pending_updates") is True:
        state.updates.pending.clear()
    state.signal.fire()
    return True


async def get_webhook_info(state: FakeState, params: Params) -> JSONDict:
    info: JSONDict = {
        "url": state.webhook_url,
        "has_custom_certificate": False,
        "pending_update_count": len(state.updates.pending),
    }
    if state.webhook_url:
        info["max_connections"] = state.webhook_max_connections
    if state.webhook_url and state.webhook_last_error:
        info["last_error_message"] = state.webhook_last_error
        failed = [d for d in state.webhook_deliveries if not d.ok]
        if failed:
            info["last_error_date"] = int(time.time())
    if state.updates.allowed is not None:
        info["allowed_updates"] = sorted(state.updates.allowed)
    return info


async def set_my_commands(state: FakeState, params: Params) -> bool:
    """Stored per (scope, language_code); an empty list deletes, as on Telegram."""
    key = (scope_key(params), language_code(params))
    new = commands(params)
    if new:
        state.commands[key] = new
    else:
        state.commands.pop(key, None)
    return True


async def get_my_commands(state: FakeState, params: Params) -> list[dict[str, str]]:
    """Exactly the list for that scope and language; Telegram does not fall back here."""
    key = (scope_key(params), language_code(params))
    return [dict(command) for command in state.commands.get(key, [])]


async def delete_my_commands(state: FakeState, params: Params) -> bool:
    state.commands.pop((scope_key(params), language_code(params)), None)
    return True


async def get_chat(state: FakeState, params: Params) -> JSONDict:
    """A ChatFullInfo with the fields PTB requires and nothing the fake cannot know."""
    chat = state.chat(chat_id_of(params))
    return {
        **chat.to_api(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


def _menu_chat(state: FakeState, params: Params) -> int | None:
    if params.get("chat_id") in (None, ""):
        return None
    return state.chat(chat_id_of(params)).id


async def set_chat_menu_button(state: FakeState, params: Params) -> bool:
    button = params.get("menu_button") or {"type": "default"}
    if not isinstance(button, dict) or button.get("type") not in MENU_BUTTON_TYPES:
        raise bad_request("can't parse menu button JSON object")
    state.menu_buttons[_menu_chat(state, params)] = dict(button)
    return True


async def get_chat_menu_button(state: FakeState, params: Params) -> JSONDict:
    """A chat's own button, else the bot-wide one, else Telegram's default "commands"."""
    fallback = {"type": "commands"}
    default = state.menu_buttons.get(None, fallback)
    default = fallback if default.get("type") == "default" else default
    button = state.menu_buttons.get(_menu_chat(state, params), default)
    return dict(default if button.get("type") == "default" else button)


DESCRIPTION_LIMITS = {"description": 512, "short_description": 120}  # Telegram's


def _describer(which: str) -> Handler:
    """setMyDescription / setMyShortDescription: per language code, Telegram's limit."""

    async def set_text(state: FakeState, params: Params) -> bool:
        text = str(params.get(which) or "")
        if len(text) > DESCRIPTION_LIMITS[which]:
            raise bad_request(f"{which} is too long")
        state.descriptions[(which, str(params.get("language_code") or ""))] = text
        return True

    return set_text


def _reader(which: str) -> Handler:
    async def get_text(state: FakeState, params: Params) -> JSONDict:
        key = (which, str(params.get("language_code") or ""))
        return {which: state.descriptions.get(key, state.descriptions.get((which, ""), ""))}

    return get_text


HANDLERS: dict[str, Handler] = {
    "setMyDescription": _describer("description"),
    "getMyDescription": _reader("description"),
    "setMyShortDescription": _describer("short_description"),
    "getMyShortDescription": _reader("short_description"),
    "getMe": get_me,
    "logOut": ok,
    "close": ok,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "getChat": get_chat,
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
}
