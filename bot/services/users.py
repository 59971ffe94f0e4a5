"""The people who use the bot: created on first contact, language kept per user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import LANGUAGES
from bot.db.models import User


@dataclass(frozen=True)
class Contact:
    """Who wrote to the bot, as Telegram tells it; nothing health-related."""

    user_id: int
    chat_id: int
    language_code: str | None


def language_from_telegram(language_code: str | None) -> str:
    """Dutch for `nl` (and regional forms like `nl-BE`), English for everything else."""
    return "nl" if (language_code or "").lower().split("-")[0] == "nl" else "en"


async def record_contact(
    sessionmaker: async_sessionmaker[AsyncSession],
    contact: Contact,
    default_timezone: str,
    now: datetime,
    choose_language: str | None = None,
) -> str:
    """Create the user on first contact, or mark them seen and active; returns their language.

    Sending /start again keeps the stored language and settings; `choose_language`
    stores an explicit choice from the language picker.
    """
    if choose_language is not None and choose_language not in LANGUAGES:
        raise ValueError(f"unsupported language {choose_language!r}")
    async with sessionmaker.begin() as session:
        user = await session.get(User, contact.user_id)
        if user is None:
            user = User(
                telegram_id=contact.user_id,
                chat_id=contact.chat_id,
                language=language_from_telegram(contact.language_code),
                timezone=default_timezone,
                created_at=now,
                last_seen_at=now,
                is_active=True,
            )
            session.add(user)
        else:
            user.chat_id, user.last_seen_at, user.is_active = contact.chat_id, now, True
        if choose_language is not None:
            user.language = choose_language
        return user.language


async def set_reachable(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: int, reachable: bool
) -> bool:
    """Mark a known user (in)active, e.g. when they block or unblock the bot.

    Returns False for someone the bot has never stored; nobody is created here.
    """
    async with sessionmaker.begin() as session:
        user = await session.get(User, user_id)
        if user is None:
            return False
        user.is_active = reachable
        return True


async def stored_language(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: int
) -> str | None:
    """The language stored for the user now (None if they are not stored)."""
    async with sessionmaker() as session:
        user = await session.get(User, user_id)
        return None if user is None else user.language
