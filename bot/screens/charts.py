"""The check-in chart, designed for a phone: one panel per period (7, 30 days), the level
per day as bars, the period's average as a line, days without an answer marked as empty,
nights with trouble as a labelled row of marks, dates as weekday + day ("ma 1").

At 720 px wide (shown at about 330 px in a chat bubble) the smallest text is 11 pt at
160 dpi, about three times what it was relative to the width. Colours are Okabe–Ito
(colour-blind safe), and nothing is told by colour alone: nights are a row with its own
label, empty days a hollow mark with a legend. A bare matplotlib `Figure` renders with
the Agg backend (no screen, no pyplot state); the same panels go on the PDF report.
"""

from __future__ import annotations

import io
from datetime import timedelta

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bot.content import Texts
from bot.content.html_check import plain_text
from bot.domain.insights import PeriodSummary

LEVEL_COLOUR = "#0072B2"  # Okabe–Ito blue
AVERAGE_COLOUR = "#D55E00"  # Okabe–Ito vermillion
NIGHT_COLOUR = "#CC79A7"  # Okabe–Ito reddish purple
GAP_COLOUR = "#6b6b6b"
ZERO_HEIGHT = 0.15  # a 0 stays visible as a sliver
NIGHT_ROW = 11.2  # the marks for troubled nights sit above the 0–10 scale
WIDTH_INCHES, PANEL_INCHES, DPI = 4.5, 3.2, 160
TEXT, SMALL = 13, 11  # points


def number(value: float | None, language: str) -> str:
    """4.25 → "4,3" in Dutch, "4.3" in English; "–" when there is no value."""
    if value is None:
        return "–"
    text = f"{value:.1f}"
    return text.replace(".", ",") if language == "nl" else text


def period_title(texts: Texts, summary: PeriodSummary) -> str:
    """ "Laatste 7 dagen", "Laatste 30 dagen", "Laatste 90 dagen"."""
    return plain_text(texts(f"chart_title_{summary.days}"))


def chart_figure(texts: Texts, periods: list[PeriodSummary]) -> Figure:
    """One panel per period, stacked: a tall, narrow picture for a phone."""
    size = (WIDTH_INCHES, PANEL_INCHES * len(periods))
    figure = Figure(figsize=size, dpi=DPI, layout="constrained")
    axes = figure.subplots(len(periods), 1, squeeze=False)[:, 0]
    draw_panels(list(axes), texts, periods)
    return figure


def day_labels(texts: Texts, summary: PeriodSummary) -> tuple[list[int], list[str]]:
    """Every day for a week; for a month every Monday, for longer every other Monday
    (and the last day, when there is room)."""
    names = texts.words("day_names")
    days = [summary.start + timedelta(days=i) for i in range(len(summary.series))]
    if len(days) <= 7:
        shown = list(range(len(days)))
    else:
        shown = [i for i, d in enumerate(days) if d.weekday() == 0]
        if len(days) > 31:
            shown = shown[::-1][::2][::-1]  # every other one, ending on the last Monday
        room = 4 if len(days) <= 31 else 7  # days between the last label and the last day
        if len(days) - 1 - (shown[-1] if shown else -room) >= room:
            shown.append(len(days) - 1)
    return shown, [f"{names[days[i].weekday()]} {days[i].day}" for i in shown]


def draw_panels(axes: list[Axes], texts: Texts, periods: list[PeriodSummary]) -> None:
    for ax, summary in zip(axes, periods, strict=True):
        _draw_panel(ax, texts, summary)


def _draw_panel(ax: Axes, texts: Texts, summary: PeriodSummary) -> None:
    # x = day number in the period (0 = first day); labels show weekday and day
    answered = [(x, v) for x, v in enumerate(summary.series) if v is not None]
    gaps = [x for x, v in enumerate(summary.series) if v is None]
    nights = [(d - summary.start).days for d in summary.night_days]
    if answered:
        ax.bar(
            [x for x, _ in answered],
            [max(v, ZERO_HEIGHT) for _, v in answered],
            color=LEVEL_COLOUR,
            width=0.75,
            label=texts("chart_legend_level"),
        )
    if summary.average is not None:
        ax.axhline(
            summary.average,
            color=AVERAGE_COLOUR,
            linewidth=2.2,
            linestyle="--",
            label=texts("chart_legend_average", average=number(summary.average, texts.language)),
        )
    if gaps:
        ax.scatter(
            gaps,
            [0.35] * len(gaps),
            marker="o",
            s=30,
            facecolors="none",
            edgecolors=GAP_COLOUR,
            label=texts("chart_legend_gap"),
        )
    if nights:
        ax.scatter(nights, [NIGHT_ROW] * len(nights), marker="v", s=60, color=NIGHT_COLOUR)
    ax.text(
        -0.5,
        NIGHT_ROW + 0.9,
        plain_text(texts("chart_legend_night")),
        fontsize=SMALL,
        color=NIGHT_COLOUR,
    )
    ax.set_ylim(0, 12.6)
    ax.set_yticks(range(0, 11, 2))
    ax.tick_params(axis="both", labelsize=SMALL)
    ax.set_title(period_title(texts, summary), loc="left", fontsize=TEXT, weight="bold")
    ax.set_ylabel(plain_text(texts("chart_level")), fontsize=SMALL)
    ticks, labels = day_labels(texts, summary)
    ax.set_xticks(ticks, labels)
    ax.set_xlim(-0.6, len(summary.series) - 0.4)
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2, fontsize=SMALL, frameon=False
    )
    ax.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def chart_png(texts: Texts, periods: list[PeriodSummary]) -> bytes:
    buffer = io.BytesIO()
    chart_figure(texts, periods).savefig(buffer, format="png")
    return buffer.getvalue()
