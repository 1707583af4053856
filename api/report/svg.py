"""A `Chart` drawn as SVG: one vertical lane per node, time downwards, one row per step.

Step boxes link to their details (`#step-N`), so the chart works without JavaScript.  The
classes and data attributes (`lane`, `step`, `arrow`, `in-flight`, `loop`) are the page's
contract with its script and with the browser tests.
"""

from __future__ import annotations

from html import escape

from numaspec.report.chart import Chart, Message

LANE = 190  # width of a lane
ROW = 46  # height of a step row
TOP = 46  # the lane headers
LEFT = 40  # room for step numbers and the loop bracket
BOX_W, BOX_H = 160, 30


def lane_count(chart: Chart) -> int:
    return chart.nodes + (1 if chart.unplaced else 0)


def _lane(chart: Chart, node: int | None) -> int:
    return chart.nodes if node is None else node


def _x(lane: int) -> int:
    return LEFT + lane * LANE + LANE // 2


def _y(row: int) -> int:
    return TOP + row * ROW + ROW // 2


def draw_chart(chart: Chart, highlight: int | None = None) -> str:
    """The chart as an `<svg>` element; `highlight` marks a step (the explorer's last)."""
    lanes = lane_count(chart)
    width, height = LEFT + lanes * LANE + 10, TOP + chart.rows * ROW
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="msc" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="message sequence chart">',
             '<defs><marker id="head" viewBox="0 0 10 10" refX="10" refY="5" '
             'markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
             '<path d="M0,0 L10,5 L0,10 z" class="head"/></marker>'
             '<marker id="open" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" '
             'markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10" '
             'class="open-head"/></marker></defs>']
    parts += _lanes(chart, lanes, height)
    parts += _loop(chart)
    parts.append(f'<g class="initial"><text x="{LEFT - 6}" y="{_y(0) + 4}" '
                 'class="num">0</text>'
                 f'<text x="{LEFT + 6}" y="{_y(0) + 4}" class="note">{escape(chart.start)}'
                 "</text></g>")
    parts += [_step(chart, step.number, step.label, step.node, step.number == highlight)
              for step in chart.steps]
    if chart.failing is not None:
        failing = chart.failing
        parts.append(_step(chart, failing.number, failing.label, failing.node, False,
                           " failing"))
    early = [m for m in chart.messages if not m.sent]  # in flight in the first state
    late = [m for m in chart.messages if m.received is None]  # in flight at the end
    parts += [_arrow(chart, m, early.index(m) if not m.sent else 0,
                     late.index(m) if m.received is None else 0) for m in chart.messages]
    if chart.verdict is not None:
        y = _y(chart.rows - 1) + 4
        parts.append(f'<g class="verdict"><text x="{LEFT + 6}" y="{y}" class="verdict-text">'
                     f"✗ {escape(chart.verdict)}</text></g>")
    parts.append("</svg>")
    return "\n".join(parts)


def _lanes(chart: Chart, lanes: int, height: int) -> list[str]:
    out = []
    for lane in range(lanes):
        name = f"node {lane}" if lane < chart.nodes else "(no node)"
        data = f'data-node="{lane}"' if lane < chart.nodes else 'data-node="none"'
        x = _x(lane)
        out.append(f'<g class="lane" {data}><rect x="{x - 50}" y="6" width="100" height="26" '
                   f'rx="4" class="lane-head"/><text x="{x}" y="24" class="lane-name">'
                   f'{name}</text><line x1="{x}" y1="32" x2="{x}" y2="{height - 4}" '
                   'class="lifeline"/></g>')
    return out


def _loop(chart: Chart) -> list[str]:
    if chart.loop is None:
        return []
    first, last = chart.loop, len(chart.steps)
    top, bottom = _y(first) - ROW // 2 + 4, _y(last) + ROW // 2 - 4
    what = "stays here forever" if first == last else f"steps {first + 1}..{last} repeat"
    return [f'<g class="loop" data-from="{first}" data-to="{last}">'
            f'<title>the loop: {what}</title>'
            f'<rect x="3" y="{top}" width="{LEFT - 12 + lane_count(chart) * LANE}" '
            f'height="{bottom - top}" rx="6" class="loop-box"/>'
            f'<text x="6" y="{top + 12}" class="loop-label">loop</text></g>']


def _step(chart: Chart, number: int, label: str, node: int | None, current: bool,
          extra: str = "") -> str:
    x, y = _x(_lane(chart, node)), _y(number)
    shown = label if len(label) <= 24 else label[:22] + "…"
    extra += " current" if current else ""
    return (f'<a href="#step-{number}"><g class="step{extra}" data-step="{number}" '
            f'data-node="{"none" if node is None else node}"><title>{escape(label)}</title>'
            f'<rect x="{x - BOX_W // 2}" y="{y - BOX_H // 2}" width="{BOX_W}" '
            f'height="{BOX_H}" rx="5" class="box"/>'
            f'<text x="{x}" y="{y + 4}" class="label">{escape(shown)}</text>'
            f'<text x="{LEFT - 6}" y="{y + 4}" class="num">{number}</text></g></a>')


def _arrow(chart: Chart, message: Message, early: int = 0, late: int = 0) -> str:
    """`early`: the message's rank among those already in flight in the first state, which
    start above their receiver's lane; `late`, among those still in flight at the end, which
    end below the last step: both fanned out so that they stay apart."""
    title = escape(f"{message.channel}: {message.payload}")
    if message.sent:
        x1, y1 = _x(_lane(chart, message.source)), _y(message.sent) + BOX_H // 2
    else:
        start = message.target if message.target is not None else 0
        x1, y1 = _x(start) - 40, TOP + 2 + 12 * early
    if message.received is None:
        lane = message.target if message.target is not None else message.source
        lane = 0 if lane is None and not message.sent else lane
        x2 = _x(_lane(chart, lane)) + (24 if lane == message.source else 0)
        y2 = _y(chart.tail) - 10 + 7 * (late % 4)
        kind, marker = "arrow in-flight", "open"
    else:
        x2 = _x(_lane(chart, message.target))
        y2 = _y(message.received) - BOX_H // 2
        kind, marker = "arrow", "head"
    if x1 == x2:  # to the same lane: bow out to the right so it stays visible
        path = f"M{x1 + 30},{y1} C{x1 + 90},{y1} {x2 + 90},{y2} {x2 + 30},{y2}"
    else:
        path = f"M{x1},{y1} L{x2},{y2}"
    mx, my = (x1 + x2) // 2 + (60 if x1 == x2 else 0), (y1 + y2) // 2
    if not message.sent:
        mx, my = x1 - 2, y1 + 8  # at its start, one label per line
    anchor = "" if message.sent else ' text-anchor="end"'
    received = "" if message.received is None else f' data-received="{message.received}"'
    return (f'<g class="{kind}" data-channel="{escape(message.channel)}" '
            f'data-sent="{message.sent}"{received}><title>{title}</title>'
            f'<path d="{path}" marker-end="url(#{marker})" class="wire"/>'
            f'<text x="{mx}" y="{my - 4}" class="msg"{anchor}>{title}</text></g>')
