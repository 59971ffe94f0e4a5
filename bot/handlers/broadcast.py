"""/broadcast for the operator (ADMIN_IDS only; to anyone else an unknown command): the
Dutch text, the English text, a preview with the number of recipients, Send or Cancel.
The scheduler sends it (`scheduler/broadcast_claims.py`) and reports the counts.

The two texts are typed answers, read through the "next text" slot like a note or a
time zone (a command or a tap in between ends the flow; the draft waits in the
database, so the preview's buttons work after a restart too). And the button under
every broadcast, for everyone: "Geen berichten van de beheerder meer", then "again".
"""

from __future__ import annotations

from telegram import Update

from bot import callbacks
from bot.content import Texts
from bot.context import BotContext
from bot.handlers import commands, next_text
from bot.handlers.admin import is_admin
from bot.handlers.common import (
    StaleButton,
    answer,
    send,
    show_buttons,
    show_in_place,
    the_query,
    user_texts,
)
from bot.screens import Screen
from bot.screens.broadcast import (
    ask_text,
    cancelled_screen,
    message_keyboard,
    preview_screen,
    progress_screen,
    queued_screen,
    too_long,
)
from bot.services import broadcasts
from bot.services.broadcasts import MAX_CHARS

STEPS = (
    next_text.Purpose.BROADCAST_NL,
    next_text.Purpose.BROADCAST_EN,
    next_text.Purpose.BROADCAST_PREVIEW,
)


async def broadcast_command(update: Update, context: BotContext) -> None:
    if not is_admin(update, context):
        await commands.unknown_command(update, context)
        return
    texts = await user_texts(update, context)
    next_text.expect(context, next_text.Purpose.BROADCAST_NL)
    await send(update, ask_text(texts, "nl"))


async def typed_text(
    update: Update, context: BotContext, text: str, slot: next_text.NextText, texts: Texts
) -> bool:
    """A text typed while /broadcast waits for one; False: not the admin's flow after all
    (ADMIN_IDS changed), so it is read as any other text."""
    user = update.effective_user
    if user is None or not is_admin(update, context):
        next_text.forget(context)
        return False
    if slot.purpose is next_text.Purpose.BROADCAST_PREVIEW:
        await send(update, Screen(texts("broadcast_use_buttons")))
        return True
    typed = text.strip()
    if (size := broadcasts.length(typed)) > MAX_CHARS:
        next_text.expect(context, slot.purpose)  # the same question, fifteen minutes again
        await send(update, too_long(texts, size))
        return True
    if slot.purpose is next_text.Purpose.BROADCAST_NL:
        await broadcasts.start_draft(context.db, user.id, broadcasts.escaped(typed), context.now())
        next_text.expect(context, next_text.Purpose.BROADCAST_EN)
        await send(update, ask_text(texts, "en"))
        return True
    draft = await broadcasts.add_english(context.db, user.id, broadcasts.escaped(typed))
    if draft is None:  # the Dutch one is gone (a /broadcast in another process): again
        next_text.expect(context, next_text.Purpose.BROADCAST_NL)
        await send(update, ask_text(texts, "nl"))
        return True
    audience = await broadcasts.audience(context.db)
    nl, en = (context.content.texts(language) for language in ("nl", "en"))
    preview = preview_screen(texts, draft, audience, nl, en)
    shown = await send(update, preview)
    next_text.expect(
        context, next_text.Purpose.BROADCAST_PREVIEW, prompt_message_id=shown.message_id
    )
    return True


async def on_answer(
    update: Update, context: BotContext, data: callbacks.BroadcastAnswer, texts: Texts
) -> None:
    """Send or Cancel under the preview. A second tap, or one on an old preview, shows
    what the broadcast is now; nothing is queued twice."""
    if not is_admin(update, context):
        raise StaleButton("broadcast button from someone not in ADMIN_IDS")
    query = the_query(update)
    if data.send:
        rate = context.services.settings.tip_rate_per_second or None
        view, queued = await broadcasts.confirm(context.db, data.broadcast_id, context.now(), rate)
        if view is not None and queued:
            await answer(context, query)
            await show_in_place(query, queued_screen(texts, view, rate))
            return
    else:
        view = await broadcasts.cancel(context.db, data.broadcast_id)
    if view is None:
        raise StaleButton(f"no broadcast {data.broadcast_id}")
    await answer(context, query)
    if view.state == broadcasts.CANCELLED:
        await show_in_place(query, cancelled_screen(texts))
        return
    await _show_progress(update, context, data.broadcast_id, texts)


async def on_progress(
    update: Update, context: BotContext, data: callbacks.BroadcastProgress, texts: Texts
) -> None:
    if not is_admin(update, context):
        raise StaleButton("broadcast button from someone not in ADMIN_IDS")
    await answer(context, the_query(update))
    await _show_progress(update, context, data.broadcast_id, texts)


async def _show_progress(
    update: Update, context: BotContext, broadcast_id: int, texts: Texts
) -> None:
    found = await broadcasts.progress(context.db, broadcast_id)
    if found is None:
        raise StaleButton(f"no broadcast {broadcast_id}")
    view, counts = found
    await show_in_place(the_query(update), progress_screen(texts, view, counts))


async def on_admin_messages(
    update: Update, context: BotContext, data: callbacks.AdminMessages, texts: Texts
) -> None:
    """The button under a broadcast: stored, said in a short notice, and the button
    turns into its opposite (the message itself stays)."""
    query = the_query(update)
    await broadcasts.set_wanted(context.db, query.from_user.id, data.wanted)
    notice_key = "broadcast_opted_in" if data.wanted else "broadcast_opted_out"
    await answer(context, query, texts(notice_key))
    await show_buttons(query, message_keyboard(texts, wanted=data.wanted))
