"""The sandbox page in a real browser (Debian's Chromium through Playwright).

What a reviewer does: pick Anna, send /start with Enter, open a topic (edited in place),
go back with the keyboard, switch to English. Ends with the README's screenshot: every
run rewrites docs/sandbox.png, so it always shows the page as it is (commit it when the
page changed). The browser's clock is fixed, so an unchanged page gives the same image.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.settings import PROJECT_ROOT
from tests.auxil.sandbox import running_sandbox

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = PROJECT_ROOT / "docs" / "sandbox.png"  # shown in README.md
BROWSER_TIME = datetime(2026, 11, 26, 7, 30, tzinfo=UTC)  # the sandbox clock panel shows it

# CI (.ci/run) installs Chromium and sets SPASMBOT_REQUIRE_BROWSER: there a missing
# browser is a failure, not a skip. Elsewhere the test says why it was skipped.
MISSING = (
    "Chromium not installed: apt-get install chromium chromium-driver"
    if not CHROMIUM.exists()
    else "Playwright not installed: pip install playwright"
    if find_spec("playwright") is None
    else None
)
if MISSING and os.environ.get("SPASMBOT_REQUIRE_BROWSER"):
    raise RuntimeError(f"the browser test is required here: {MISSING}")
pytestmark = [pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]


@pytest.fixture
async def sandbox_url(database_url: str) -> AsyncIterator[str]:
    """The sandbox running in this test's event loop, on a free port."""
    async with running_sandbox(database_url) as url:
        yield url


def message(page: Page, message_id: str) -> Locator:
    return page.locator(f'#messages li[data-id="{message_id}"]')


async def test_a_reviewer_chats_with_the_bot(sandbox_url: str) -> None:
    from playwright.async_api import async_playwright, expect

    problems: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            page = await browser.new_page(viewport={"width": 520, "height": 1320})
            page.set_default_timeout(5000)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("response", lambda r: problems.append(r.url) if r.status >= 400 else None)
            await page.clock.set_fixed_time(BROWSER_TIME)
            await page.goto(sandbox_url)
            await expect(page.locator("#clock-utc")).to_have_text("Thu, 26 Nov 2026, 07:30:00")

            # Keyboard first: Tab reaches a real button; the message list is a live region.
            await expect(page.get_by_role("button", name="Anna (nl)")).to_be_visible()
            await page.keyboard.press("Tab")
            assert await page.evaluate("document.activeElement.tagName") == "BUTTON"
            await expect(page.locator("#messages")).to_have_attribute("aria-live", "polite")

            anna = page.get_by_role("button", name="Anna (nl)")
            await anna.click()
            await expect(anna).to_have_attribute("aria-pressed", "true")
            await page.get_by_role("textbox", name="Message").fill("/start")
            await page.get_by_role("textbox", name="Message").press("Enter")
            welcome = page.locator("#messages li.bot", has_text="Hallo Anna!")
            await expect(welcome).to_be_visible()
            await expect(page.locator("#messages li.user", has_text="/start")).to_be_visible()
            await expect(page.get_by_text("Wil je elke dag één korte tip")).to_be_visible()
            welcome_id = await welcome.get_attribute("data-id")
            assert welcome_id is not None
            menu = message(page, welcome_id)
            count = await page.locator("#messages li").count()

            topic = menu.get_by_role("button", name="Wat zijn spasmen?")
            assert (await topic.bounding_box() or {"height": 0})["height"] >= 44
            await topic.click()
            await expect(menu).to_contain_text("Een spasme is een samentrekking van een spier")
            await expect(menu.locator("b").get_by_text("spasme", exact=True)).to_be_visible()
            await expect(menu).to_contain_text("edited")
            assert await page.locator("#messages li").count() == count  # edited, not added

            await menu.get_by_role("button", name="⬅️ Terug").focus()
            await page.keyboard.press("Enter")
            await expect(menu).to_contain_text("Welkom bij spasmbot")
            await expect(menu.get_by_role("button", name="Wat zijn spasmen?")).to_be_visible()
            assert await menu.evaluate("li => li.contains(document.activeElement)")

            await page.get_by_role("button", name="Commands").click()
            await expect(page.get_by_role("button", name="/instellingen")).to_be_visible()
            await page.keyboard.press("Escape")
            await expect(page.locator("#commands")).to_be_hidden()

            await menu.get_by_role("button", name="🌐 Language / Taal").click()
            await expect(menu).to_contain_text("In welke taal wil je lezen?")
            await menu.get_by_role("button", name="🇬🇧 English").click()
            await expect(menu.get_by_role("button", name="What are spasms?")).to_be_visible()
            await expect(page.locator("#notice")).to_have_text("Language saved: English.")
            await expect(page.locator("#live")).to_have_text("Live")

            await page.screenshot(path=str(SCREENSHOT), animations="disabled", caret="hide")
        finally:
            await browser.close()
    assert SCREENSHOT.stat().st_size > 10_000
    assert problems == []


PHONE_WIDTH, PHONE_HEIGHT = 390, 844  # a common phone, in CSS pixels
PHONE_SHOTS = PROJECT_ROOT / "test-output" / "phone"  # every screen; not committed
BEST_FOR_README = ("menu", "settings", "checkin-3", "tip", "chart")  # rewritten each run


async def test_every_daily_screen_on_a_phone(sandbox_url: str) -> None:
    """Phone-sized screenshots of the screens people use every day: the main menu, a
    settings page with toggles, each check-in step, a tip after 👍, the overview chart."""
    from playwright.async_api import async_playwright, expect

    PHONE_SHOTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            page = await browser.new_page(
                viewport={"width": PHONE_WIDTH, "height": PHONE_HEIGHT}, device_scale_factor=2
            )
            page.set_default_timeout(5000)
            await page.clock.set_fixed_time(BROWSER_TIME)
            await page.goto(sandbox_url)
            await page.get_by_role("button", name="Bram (nl)").click()
            box = page.get_by_role("textbox", name="Message")

            async def by_id(found: Locator) -> Locator:
                """The message itself, which stays found when it is edited."""
                await expect(found).to_be_visible()
                return message(page, str(await found.get_attribute("data-id")))

            async def say(text: str, reply: str) -> Locator:
                await box.fill(text)
                await box.press("Enter")
                return await by_id(page.locator("#messages li.bot", has_text=reply).last)

            async def shot(name: str, bubble: Locator) -> None:
                """The message at phone width; a message taller than the phone's screen
                gets a taller window for the picture, so no button is cut off."""
                height = (await bubble.bounding_box() or {"height": 0})["height"]
                tall = max(PHONE_HEIGHT, int(height) + 400)  # room for the header and composer
                await page.set_viewport_size({"width": PHONE_WIDTH, "height": tall})
                await bubble.evaluate("li => li.scrollIntoView({block: 'center'})")
                path = PHONE_SHOTS / f"{name}.png"
                await bubble.screenshot(path=str(path), animations="disabled", caret="hide")
                await page.set_viewport_size({"width": PHONE_WIDTH, "height": PHONE_HEIGHT})
                if name in BEST_FOR_README:
                    (PROJECT_ROOT / "docs" / f"phone-{name}.png").write_bytes(path.read_bytes())

            await shot("menu", await say("/start", "Hallo Bram!"))
            settings = await say("/instellingen", "Tik op ⬜ om iets aan te zetten")
            await expect(
                settings.get_by_role("button", name="⬜ 🔔 Dagelijkse tip")
            ).to_be_visible()
            await shot("settings", settings)

            consent = await say("/checkin", "Mag ik je check-ins zo bewaren?")
            await consent.get_by_role("button", name="✅ Ik ga akkoord").click()
            step = await by_id(page.locator("#messages li.bot", has_text="stap 1 van 4").last)
            await shot("checkin-1", step)
            for number, tap, next_text in [
                (2, "5", "stap 2 van 4"),
                (3, "Ja", "stap 3 van 4"),
            ]:
                await step.get_by_role("button", name=tap, exact=True).click()
                await expect(step).to_contain_text(next_text)
                await shot(f"checkin-{number}", step)
            await step.get_by_role("button", name="⬜ 🤒 Koorts").click()
            await expect(step.get_by_role("button", name="✅ 🤒 Koorts")).to_be_visible()
            await shot("checkin-3", step)
            await step.get_by_role("button", name="➡️ Klaar").click()
            await expect(step).to_contain_text("stap 4 van 4")
            await shot("checkin-4", step)
            await shot("checkin-5", await say("Lange wandeling gemaakt", "Dank je!"))

            tip = await say("/tip", "💡 Een tip")
            await tip.get_by_role("button", name="👍 Nuttig").click()
            await expect(tip.get_by_role("button", name="✅ 👍 Nuttig")).to_be_visible()
            await shot("tip", tip)
            chart = await say("/overzicht", "Hoe erg waren je stijfheid en spasmen")
            await expect(chart.locator("img")).to_be_visible()
            await shot("chart", chart)
        finally:
            await browser.close()
    for name in BEST_FOR_README:
        assert (PROJECT_ROOT / "docs" / f"phone-{name}.png").stat().st_size > 5_000
