"""/mijngegevens (/mydata) and /verwijderen (/delete): people own their data."""

from __future__ import annotations

import json

from telegram import InputFile, Update

from bot import callbacks
from bot.content import Texts
from bot.context import BotContext
from bot.handlers.common import answer, send, show_in_place, the_query, user_texts
from bot.screens import Screen
from bot.screens.my_data import my_data_summary, readable_export
from bot.screens.privacy import delete_question
from bot.services.personal_data import delete_personal_data, export_personal_data


async def my_data(update: Update, context: BotContext) -> None:
    """Everything stored about the user, as a readable JSON file with a short summary."""
    texts = await user_texts(update, context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    stored = await export_personal_data(context.db, user.id)
    data = readable_export(texts, stored)
    document = json.dumps(data, ensure_ascii=False, indent=2).encode()
    await chat.send_document(
        InputFile(document, filename="spasmbot-data.json"), caption=my_data_summary(texts, stored)
    )


async def delete_command(update: Update, context: BotContext) -> None:
    """Ask once more before deleting everything."""
    await send(update, delete_question(await user_texts(update, context)))


async def confirm_delete(
    update: Update, context: BotContext, data: callbacks.ConfirmDelete, texts: Texts
) -> None:
    query = the_query(update)
    await answer(context, query)
    if not data.confirmed:
        await show_in_place(query, Screen(texts("delete_kept")))
        return
    await delete_personal_data(context.db, query.from_user.id)
    if context.user_data is not None:
        context.user_data.clear()  # the cached language is data about them too
    await show_in_place(query, Screen(texts("delete_done")))
