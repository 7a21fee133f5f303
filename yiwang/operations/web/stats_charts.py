"""Charts as server-rendered inline SVG: no JavaScript, readable by screen readers.

Each chart has a ``<title>`` and a ``<desc>`` (named by ``aria-labelledby``) and the page puts the
same numbers in a table beside it. Every label is escaped.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH = 520
LABEL_WIDTH = 200
VALUE_WIDTH = 56
BAR_HEIGHT = 24
GAP = 6
MAX_BARS = 20
COLOUR = "#b3261e"


def _short(label: str, limit: int = 14) -> str:
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _number(value) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def bar_chart(rows, *, chart_id: str, title: str, desc: str) -> str:
    """Horizontal bars for ``rows`` of (label, value); the first ``MAX_BARS`` rows are drawn."""
    rows = [(str(label), float(value or 0)) for label, value in rows][:MAX_BARS]
    height = max(1, len(rows)) * (BAR_HEIGHT + GAP) + GAP
    top = max([v for _l, v in rows] + [0]) or 1.0
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    cid = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" id="{cid}" '
        f'aria-labelledby="{cid}-title {cid}-desc" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
    ]
    if not rows:
        parts.append(f'<text x="4" y="{BAR_HEIGHT - 6}" class="chart-empty">—</text>')
    for i, (label, value) in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        width = max(1.0, span * value / top) if value else 0
        text_y = y + BAR_HEIGHT - 6
        shown = _number(value if value % 1 else int(value))
        parts.append(
            f'<g class="bar"><text x="{LABEL_WIDTH - 6}" y="{text_y}" text-anchor="end" class="chart-label">'
            f"<title>{escape(label)}</title>{escape(_short(label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{COLOUR}" rx="2"></rect>'
            f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{text_y}" class="chart-value">{escape(shown)}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every piece above is escaped)


def table_chart(table, chart_id: str) -> str:
    """The bar chart of a statistics table (its chart columns), titled and described from the table."""
    if table.chart is None:
        return ""
    label_col, value_col = table.chart
    values = [(row[label_col], row[value_col]) for row in table.rows]
    total = sum(v for _l, v in values)
    shown = min(len(values), MAX_BARS)
    desc = f"{table.columns[label_col]} / {table.columns[value_col]}: " + "; ".join(
        f"{label} {value}" for label, value in values[:shown]
    )
    if len(values) > shown:
        desc += f"; … (+{len(values) - shown})"
    desc += f". Σ {total}"
    return bar_chart(values, chart_id=chart_id, title=table.title, desc=desc)
