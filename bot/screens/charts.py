"""The check-in chart: NRS per day for 7 and 30 days, nights marked, gaps visible.

A bare matplotlib `Figure` renders with the Agg backend (no screen, no pyplot state);
the same figure goes on the first page of the PDF report.
"""

from __future__ import annotations

import io
from datetime import timedelta

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bot.content import Texts
from bot.content.html_check import plain_text
from bot.domain.insights import PeriodSummary

LEVEL_COLOUR = "#1f5f99"
NIGHT_COLOUR = "#6a3d9a"
GAP_COLOUR = "#9a9a9a"
ZERO_HEIGHT = 0.15


def number(value: float | None, language: str) -> str:
    """4.25 → "4,3" in Dutch, "4.3" in English; "–" when there is no value."""
    if value is None:
        return "–"
    text = f"{value:.1f}"
    return text.replace(".", ",") if language == "nl" else text


def chart_figure(texts: Texts, periods: list[tuple[str, PeriodSummary]]) -> Figure:
    """One panel per (title key, summary)."""
    figure = Figure(figsize=(8, 2.8 * len(periods)), dpi=110, layout="constrained")
    axes = figure.subplots(len(periods), 1, squeeze=False)[:, 0]
    draw_panels(list(axes), texts, periods)
    return figure


def draw_panels(axes: list[Axes], texts: Texts, periods: list[tuple[str, PeriodSummary]]) -> None:
    for ax, (title_key, summary) in zip(axes, periods, strict=True):
        days = [summary.start + timedelta(days=i) for i in range(len(summary.series))]
        # x = day number in the period (0 = first day); labels show the dates
        answered = [(x, v) for x, v in enumerate(summary.series) if v is not None]
        gaps = [x for x, v in enumerate(summary.series) if v is None]
        nights = [(d - summary.start).days for d in summary.night_days]
        if answered:
            ax.bar(
                [d for d, _ in answered],
                [max(v, ZERO_HEIGHT) for _, v in answered],  # a 0 stays visible
                color=LEVEL_COLOUR,
                width=0.7,
                label=texts("chart_legend_level"),
            )
        if gaps:
            ax.scatter(
                gaps,
                [0.25] * len(gaps),
                marker="x",
                color=GAP_COLOUR,
                label=texts("chart_legend_gap"),
            )
        if nights:
            ax.scatter(
                nights,
                [10.4] * len(nights),
                marker="v",
                color=NIGHT_COLOUR,
                label=texts("chart_legend_night"),
            )
        ax.set_ylim(0, 11)
        ax.set_yticks(range(0, 11, 2))
        ax.set_title(plain_text(texts(title_key)), loc="left", fontsize=11)
        ax.set_ylabel(plain_text(texts("chart_level")), fontsize=8)
        ax.tick_params(axis="x", labelsize=7, rotation=45)
        step = 1 if len(days) <= 10 else 5
        ax.set_xticks(range(0, len(days), step), [d.strftime("%d-%m") for d in days[::step]])
        ax.set_xlim(-0.6, len(days) - 0.4)
        # above the plot, right of the title: never over the bars or the next panel
        ax.legend(loc="lower right", fontsize=7, ncols=3, frameon=False, bbox_to_anchor=(1.0, 1.0))
        ax.grid(axis="y", alpha=0.3)


def chart_png(texts: Texts, periods: list[tuple[str, PeriodSummary]]) -> bytes:
    buffer = io.BytesIO()
    chart_figure(texts, periods).savefig(buffer, format="png")
    return buffer.getvalue()
