"""The browser sandbox: chat with the real bot in a Telegram-like page, without Telegram.

`spasmbot try`'s big brother. One process runs the fake Bot API server (in-process, a
free port), the production Application long-polling it (only base URL and clock
differ) and a small web app for the page. Three simulated users (Anna nl, Bram nl,
Emma en) each have a private chat. A `SandboxClock` (real time + an offset that only
moves forward, and starts no earlier than the latest moment in the database) lets a
reviewer jump to the next scheduled daily tip. Ctrl-C, SIGTERM and SIGHUP stop it cleanly.

The page (static/) talks only to this JSON/SSE API:

    GET  /                       the chat page; /static/... its CSS and JS
    GET  /api/users              [{id, name, language_code, label}]
    GET  /api/chats/{user_id}    {user_id, messages, notice}; each message:
                                 {id, from: "bot"|"user", text, html (sanitized: only
                                 Telegram's tags, safe to insert), buttons [[{text, data,
                                 url}]], photo (url|null), document ({name, size, url}|null),
                                 edited}; notice: the last callback answer {id, text, alert}
    POST /api/send               {user_id, text} → {message_id}
    POST /api/tap                {user_id, message_id, data} → {callback_query_id}
    GET  /api/commands/{user_id} the "/" menu for that user's language [{command, description}]
    GET  /api/clock              {now, local, zone, offset_seconds, next_tip, next_tip_local}
    POST /api/clock/next         jump to the earliest scheduled tip and tick → {jumped, ...clock}
    GET  /api/events             Server-Sent Events: "changed" {chat_id}, "clock" {}
    GET  /files/{file_id}        bytes of a photo (inline) or document (download)

Errors under /api/ are JSON {"error": reason} with a 4xx status.
"""

from __future__ import annotations

from devtools.sandbox.clock import SandboxClock
from devtools.sandbox.server import SANDBOX_TOKEN, SandboxError, main, serve
from devtools.sandbox.web import USERS, SandboxUser

__all__ = ["SANDBOX_TOKEN", "USERS", "SandboxClock", "SandboxError", "SandboxUser", "main", "serve"]
