"""Issue 12: `spasmbot setup-bot` sets, per language, what Telegram shows of the bot before
anyone writes: the commands, the description and the short description (from content/)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.cli import main as cli_main
from bot.content import Content
from devtools.fakeapi import FakeTelegram
from tests.conftest import TOKEN
from tests.content.test_content import problems_of, topic, write_tree


async def test_setup_bot_sets_commands_and_descriptions_per_language(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, content: Content
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    async with FakeTelegram(token=TOKEN, bot_username="spasmbot_test_bot") as fake:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
        monkeypatch.setenv("TELEGRAM_BASE_URL", fake.base_url)
        monkeypatch.setenv("TELEGRAM_BASE_FILE_URL", fake.base_file_url)
        assert await asyncio.to_thread(cli_main, ["setup-bot"]) == 0
        described = fake.state.descriptions
        for language in ("nl", "en"):
            assert described[("description", language)] == content.text("bot_description", language)
            assert described[("short_description", language)] == content.text(
                "bot_short_description", language
            )
        assert described[("description", "")] == content.text("bot_description", "en")
        assert "niemand leest mee" in described[("description", "nl")]
        names = {
            language: [
                c["command"] for c in fake.state.commands[(("default", None, None), language)]
            ]
            for language in ("nl", "en")
        }
        assert "overzicht" in names["nl"] and "overview" in names["en"]
        assert "stats" not in names["nl"] + names["en"]  # admin commands stay hidden


def test_descriptions_longer_than_telegram_allows_are_refused(tmp_path: Path) -> None:
    root = write_tree(tmp_path, [topic("main")])
    ui = root / "ui.yaml"
    text = ui.read_text(encoding="utf-8")
    ui.write_text(
        text + f'bot_short_description:\n  nl: "{"x" * 121}"\n  en: "<b>short</b>"\n',
        encoding="utf-8",
    )
    problems = problems_of(root)
    assert "ui.yaml: 'bot_short_description' [nl]: 121 characters, at most 120" in problems
    assert any("[en]: Telegram shows it as plain text" in p for p in problems)
