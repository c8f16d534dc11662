"""Plots: matplotlib SVGs for the site, deterministic and cached by content.

Part of the builder step. Each plot is described by a plain, JSON-serialisable
*spec* (kind + data); the SVG is a pure function of the spec, so the same data
gives the same bytes (fixed hash salt, no date metadata), and a cache keyed by
the spec's hash skips redrawing unchanged plots. Every plot comes in a light and
a dark variant for Material's two palettes.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: Bump when the drawing code changes, so cached SVGs are redrawn.
STYLE_VERSION = "6"

#: Theme colours; :func:`recolor` swaps each light value for its dark counterpart.
THEMES = {
    "light": {"fg": "#1f2328", "grid": "#d0d7de", "muted": "#57606a", "faint": "#b9c0c8"},
    "dark": {"fg": "#e6edf3", "grid": "#30363d", "muted": "#9198a1", "faint": "#4d545e"},
}

#: The one palette of model-family colours, used by every plot of the site. Each
#: reads on Material's light and dark backgrounds alike (no dark navy, no pale
#: yellow). Families are given colours in a fixed order (see :func:`family_styles`);
#: families beyond the palette reuse its colours with another marker shape.
FAMILY_COLORS = ("#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#b6992d", "#d37295",
                 "#9c755f")
FAMILY_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
#: Kept for callers of the old name: the family palette.
PALETTE = list(FAMILY_COLORS)
#: At most this many coloured series share one panel; more go to further panels.
MAX_SERIES_PER_PANEL = 8
#: A family's second, third ... series in one panel (e.g. another prompting) get these line styles.
_LINESTYLES = ("-", "--", "-.", (0, (5, 1, 1, 1, 1, 1)))
#: The x axes of curves and maps (log scale) pad their data by this factor on each side.
_LOG_PAD = 10 ** 0.25


def family_styles(names: list[str], together: list[set[str]] | None = None) -> dict[str, dict[str, str]]:
    """``{family name: {"color", "marker"}}``, one style per family, the same in every plot.

    Families are taken in the given order. Each gets the palette colour least used
    by the families it shares a plot with (``together``: the sets of names drawn
    together), then least used overall, so that a panel rarely shows one colour
    twice; a colour's k-th family gets the k-th marker shape, so no two families
    share both colour and marker. Call it once per site with every family name.
    """
    out: dict[str, dict[str, str]] = {}
    neighbours: dict[str, set[str]] = {}
    for group in together or []:
        for name in group:
            neighbours.setdefault(name, set()).update(group - {name})
    used = {c: 0 for c in FAMILY_COLORS}
    by_key: dict[str, dict[str, str]] = {}  # names differing only in case (LLaMA, Llama) are one family
    for name in names:
        if name in out:
            continue
        if name.casefold() in by_key:
            out[name] = by_key[name.casefold()]
            continue
        near = [out[n]["color"] for n in neighbours.get(name, ()) if n in out]
        color = min(FAMILY_COLORS, key=lambda c: (near.count(c), used[c], FAMILY_COLORS.index(c)))
        out[name] = by_key[name.casefold()] = {"color": color,
                                               "marker": FAMILY_MARKERS[used[color] % len(FAMILY_MARKERS)]}
        used[color] += 1
    return out


def family_gid(name: str, n: int) -> str:
    """SVG id of a family's drawing (``atlas-family--<slug>--<n>``), so tests can read colours back."""
    slugged = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
    return f"atlas-family--{slugged}--{n}"


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _style(plt: Any, theme: str, size: float = 10.5) -> None:
    colors = THEMES[theme]
    plt.rcParams.update({
        "svg.hashsalt": "emergence-atlas",
        "svg.fonttype": "none",
        "font.size": size,
        "axes.edgecolor": colors["muted"],
        "axes.labelcolor": colors["fg"],
        "xtick.color": colors["muted"],
        "ytick.color": colors["muted"],
        "xtick.labelcolor": colors["fg"],
        "ytick.labelcolor": colors["fg"],
        "text.color": colors["fg"],
        "axes.facecolor": "none",
        "figure.facecolor": "none",
        "savefig.facecolor": "none",
        "xtick.minor.visible": False,
        "ytick.minor.visible": False,
        "legend.frameon": False,
        "legend.fontsize": size - 1,
        "legend.handlelength": 2.2,
        "legend.columnspacing": 1.2,
    })


def _save(plt: Any, fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return buffer.getvalue()


def _finish(plt: Any, fig: Any, right: float = 0.74, left: float = 0.12) -> bytes:
    # a fixed layout (no bbox_inches="tight", which draws the figure twice)
    fig.subplots_adjust(left=left, right=right, bottom=0.2, top=0.95)
    return _save(plt, fig)


def recolor(svg: bytes, source: str, target: str) -> bytes:
    """The same SVG in another palette: every theme colour swapped (one drawing serves both)."""
    text = svg.decode("utf-8")
    for role, color in THEMES[source].items():
        text = text.replace(color, THEMES[target][role])
    return text.encode("utf-8")


def _log_axis(ax: Any, axis: str) -> None:
    from matplotlib.ticker import LogLocator, NullLocator

    getattr(ax, f"set_{axis}scale")("log")
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(LogLocator(base=10, numticks=12))
    target.set_minor_locator(NullLocator())


class _Stack:
    """Vertical layout in inches: axes and legends stacked top to bottom in a fixed-width figure.

    Every block's height is known before drawing, so legends sit below their axes
    at full width, never clipped, without a second layout pass.
    """

    def __init__(self, width: float, left: float, right: float):
        self.width, self.left, self.right = width, left, right
        self.blocks: list[tuple[str, float]] = []

    def add(self, kind: str, height: float) -> int:
        self.blocks.append((kind, height))
        return len(self.blocks) - 1

    def place(self, plt: Any) -> tuple[Any, list[tuple[float, float]]]:
        """The figure and, per block, its (bottom, top) in figure fractions."""
        total = sum(h for _, h in self.blocks)
        fig = plt.figure(figsize=(self.width, total))
        spans, top = [], total
        for _, height in self.blocks:
            spans.append(((top - height) / total, top / total))
            top -= height
        return fig, spans

    def axes(self, fig: Any, span: tuple[float, float], pad_top: float, pad_bottom: float) -> Any:
        total = fig.get_figheight()
        bottom, top = span[0] + pad_bottom / total, span[1] - pad_top / total
        left, right = self.left / self.width, 1 - self.right / self.width
        return fig.add_axes((left, bottom, right - left, top - bottom))


def _legend_columns(labels: list[str], width_in: float, fontsize: float) -> int:
    """As many legend columns (at most 3) as the longest label lets fit in the width, so none is cut."""
    from matplotlib.textpath import TextPath

    widest = max((TextPath((0, 0), label, size=fontsize).get_extents().width for label in labels), default=0.0)
    column = (2.2 * fontsize + 0.5 * fontsize + widest + 1.2 * fontsize) / 72  # handle, pad, text, spacing (inches)
    return max(1, min(3, int(width_in / column)))


def _legend_rows(n: int, ncol: int) -> int:
    return -(-n // ncol) if n else 0


def _legend_below(fig: Any, ax: Any, span: tuple[float, float], handles: list[Any], labels: list[str],
                  ncol: int, left_in: float, width_in: float) -> None:
    if not handles:
        return
    fig.legend(handles, labels, loc="upper left", ncol=ncol, bbox_to_anchor=(left_in / width_in, span[1]),
               bbox_transform=fig.transFigure, borderaxespad=0.2, handletextpad=0.5)


def _log_limits(values: list[float]) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    return lo / _LOG_PAD, hi * _LOG_PAD


def draw_emergence_map(spec: dict[str, Any], theme: str) -> bytes:
    """Every entry at its emergence scale, one band per category, one lane per family.

    Entries of one family at the same scale and category share one marker, whose
    area grows with their number and which carries the count beside it, so forty
    entries at one spot read as forty.
    """
    plt = _pyplot()
    _style(plt, theme, 11)
    colors = THEMES[theme]
    rows: list[str] = spec["categories"]
    families: list[str] = spec["families"]
    styles: dict[str, dict[str, str]] = spec.get("styles") or family_styles(families)
    # one marker per family and category for entries within 3% of each other (one spot on the axis)
    by_lane: dict[tuple[str, str], list[float]] = {}
    for p in spec["points"]:
        by_lane.setdefault((p["category"], p["family"]), []).append(p["x"])
    groups: dict[tuple[str, str, float], int] = {}
    for (category, family), values in by_lane.items():
        clusters: list[list[float]] = []
        for v in sorted(values):
            if clusters and v <= clusters[-1][0] * 1.03:
                clusters[-1].append(v)
            else:
                clusters.append([v])
        for cluster in clusters:
            spot = max(sorted(set(cluster)), key=cluster.count)  # the most frequent value marks the spot
            groups[(category, family, spot)] = len(cluster)
    width = 5.0
    stack = _Stack(width, left=0.2, right=0.15)
    labels_all = [*families, "several entries (number)"]
    ncol = _legend_columns(labels_all, width - stack.left - stack.right, 10)
    band = 0.3 + 0.1 * len(families)
    stack.add("axes", 0.15 + band * len(rows) + 0.55)
    stack.add("legend", 0.2 + 0.24 * _legend_rows(len(labels_all), ncol))
    fig, spans = stack.place(plt)
    ax = stack.axes(fig, spans[0], pad_top=0.15, pad_bottom=0.55)
    lanes = {f: (i + 0.5) / len(families) for i, f in enumerate(families)}
    handles, labels = [], []
    for n, family in enumerate(families):
        mine = [(cat, x, count) for (cat, fam, x), count in groups.items() if fam == family]
        if not mine:
            continue
        style = styles[family]
        xs = [x for _, x, _ in mine]
        ys = [len(rows) - 1 - rows.index(cat) - 0.5 + 0.12 + lanes[family] * 0.76 for cat, _, _ in mine]
        sizes = [26 * count ** 0.7 for _, _, count in mine]
        artist = ax.scatter(xs, ys, s=sizes, color=style["color"], marker=style["marker"], alpha=0.9,
                            linewidths=0.6, edgecolors=colors["fg"], zorder=3)
        artist.set_gid(family_gid(family, n))
        for (_, x, count), y, size in zip(mine, ys, sizes):
            if count > 1:  # the count as text beside the marker, clear of its edge
                ax.annotate(str(count), (x, y), xytext=(size ** 0.5 / 2 + 2.5, 0), textcoords="offset points",
                            va="center", ha="left", fontsize=9.5, color=colors["fg"], zorder=4)
        handles.append(plt.Line2D([], [], linestyle="none", marker=style["marker"], color=style["color"],
                                  markeredgecolor=colors["fg"], markeredgewidth=0.6, markersize=6.5))
        labels.append(family)
    for i, label in enumerate(spec["category_labels"]):
        top = len(rows) - 1 - i + 0.5
        ax.text(0.006, top - 0.02, label, transform=ax.get_yaxis_transform(), va="top", ha="left",
                fontsize=10, fontweight="bold", color=colors["fg"])
        if i:
            ax.axhline(top, color=colors["grid"], linewidth=0.8)
    xs = [p["x"] for p in spec["points"]] or [1.0, 10.0]
    _log_axis(ax, "x")
    lo, hi = _log_limits(xs)
    ax.set_xlim(lo, hi)
    ax.set_yticks([])
    ax.set_ylim(-0.5, len(rows) - 0.5)
    ax.set_xlabel(spec["xlabel"])
    ax.grid(axis="x", color=colors["grid"], linewidth=0.6)
    handles.append(plt.Line2D([], [], linestyle="none", marker="o", color=colors["muted"], markersize=11))
    labels.append("several entries (number)")
    _legend_below(fig, ax, spans[1], handles, labels, ncol, stack.left, width)
    return _save(plt, fig)


def draw_family_sizes(spec: dict[str, Any], theme: str) -> bytes:
    """How many catalog entries emerge at each size of one family (bars in the family's colour)."""
    plt = _pyplot()
    _style(plt, theme, 11)
    colors = THEMES[theme]
    fig, ax = plt.subplots(figsize=(4.8, 2.8))
    labels = [b["size"] for b in spec["bars"]]
    color = (spec.get("style") or {}).get("color", FAMILY_COLORS[0])
    bars = ax.bar(range(len(labels)), [b["count"] for b in spec["bars"]], color=color)
    if spec.get("family"):
        for i, bar in enumerate(bars):
            bar.set_gid(family_gid(spec["family"], i))
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=30 if len(labels) > 6 else 0, ha="right" if len(labels) > 6 else "center")
    ax.set_xlabel("model size")
    ax.set_ylabel("entries emerging")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", color=colors["grid"], linewidth=0.6)
    ax.set_axisbelow(True)
    fig.subplots_adjust(left=0.14, right=0.97, bottom=0.3 if len(labels) > 6 else 0.2, top=0.95)
    return _save(plt, fig)


def _panels(series: list[dict[str, Any]], highlight: str | None) -> list[list[dict[str, Any]]]:
    """Series split into panels of at most MAX_SERIES_PER_PANEL, no colour twice in a panel.

    With a highlighted family present, one panel: that family in colour, the rest muted.
    """
    if highlight is not None and any(s.get("family") == highlight for s in series):
        return [series]
    if len(series) <= MAX_SERIES_PER_PANEL and len({(s.get("style") or {}).get("color") for s in series}) == len(series):
        return [series]
    def color(s: dict[str, Any]) -> str | None:
        return (s.get("style") or {}).get("color")

    counts: dict[str | None, int] = {}
    for s in series:
        counts[color(s)] = counts.get(color(s), 0) + 1
    k = max(-(-len(series) // MAX_SERIES_PER_PANEL), max(counts.values()))
    panels: list[list[dict[str, Any]]] = [[] for _ in range(k)]
    # each colour's series to different panels, always the emptiest one that lacks the colour
    for s in sorted(series, key=lambda s: (-counts[color(s)], str(color(s)))):
        free = [p for p in panels if len(p) < MAX_SERIES_PER_PANEL and all(color(o) != color(s) for o in p)]
        target = min(free or panels, key=len)
        target.append(s)
    order = {id(s): i for i, s in enumerate(series)}
    return [sorted(p, key=lambda s: order[id(s)]) for p in panels if p]


def _series_style(s: dict[str, Any], index: int) -> dict[str, str]:
    return s.get("style") or {"color": FAMILY_COLORS[index % len(FAMILY_COLORS)],
                              "marker": FAMILY_MARKERS[(index // len(FAMILY_COLORS)) % len(FAMILY_MARKERS)]}


def draw_curve(spec: dict[str, Any], theme: str) -> bytes:
    """Score against scale (log x): one or more stacked panels, legends below, markers inside.

    ``spec``: ``series`` (``label``, ``points`` [[x, y], ...], optional ``family`` and
    ``style``), optional ``highlight`` (a family drawn in colour while the others are
    muted), ``baseline`` (dashed horizontal line), ``markers`` (``x`` and ``label`` of
    dotted vertical lines, such as the reported threshold), ``xlabel`` and ``ylabel``.
    """
    plt = _pyplot()
    _style(plt, theme, 11)
    colors = THEMES[theme]
    series = [s for s in spec["series"] if s["points"]]
    highlight = spec.get("highlight")
    panels = _panels(series, highlight) or [[]]
    markers = spec.get("markers", [])
    baseline = spec.get("baseline")
    width = 4.8
    stack = _Stack(width, left=0.72, right=0.15)
    highlighting = highlight is not None and any(s.get("family") == highlight for s in series)
    legend_labels = ([s["label"] for s in series if s.get("family") == highlight] + ["other families (99 series, muted)"]
                     if highlighting else [s["label"] for s in series])
    ncol = _legend_columns(legend_labels, width - 0.3, 10)
    for panel in panels:
        if highlight is not None and any(s.get("family") == highlight for s in panel):
            n = sum(1 for s in panel if s.get("family") == highlight) + (1 if len(panel) > 1 else 0)
        else:
            n = len(panel)
        stack.add("axes", 2.5)
        stack.add("legend", 0.12 + 0.23 * _legend_rows(n, ncol))
    fig, spans = stack.place(plt)
    xs = [p[0] for s in series for p in s["points"]] + [m["x"] for m in markers]
    ys = [p[1] for s in series for p in s["points"]] + ([baseline] if baseline is not None else [])
    xlim = _log_limits(xs) if xs else (1.0, 10.0)
    span_y = (max(ys) - min(ys)) if ys else 1.0
    ylim = (min(ys) - 0.06 * span_y, max(ys) + 0.16 * span_y) if ys else (0.0, 1.0)
    gid = 0
    for p_index, panel in enumerate(panels):
        ax = stack.axes(fig, spans[2 * p_index], pad_top=0.1, pad_bottom=0.55)
        handles, labels = [], []
        muted = 0
        repeats: dict[str, int] = {}
        for i, s in enumerate(panel):
            pts = sorted(s["points"])
            style = _series_style(s, i)
            if highlight is not None and s.get("family") != highlight and len(panels) == 1 and any(
                    o.get("family") == highlight for o in panel):
                (line,) = ax.plot([p[0] for p in pts], [p[1] for p in pts], linewidth=1.0, color=colors["faint"],
                                  marker="o", markersize=2.5, zorder=1)
                line.set_gid(f"atlas-muted--{gid}")
                if not muted:
                    handles.append(line)
                muted += 1
            else:
                emphasised = highlight is not None and s.get("family") == highlight
                seen = repeats[s.get("family") or s["label"]] = repeats.get(s.get("family") or s["label"], -1) + 1
                (line,) = ax.plot([p[0] for p in pts], [p[1] for p in pts], linewidth=2.4 if emphasised else 1.6,
                                  color=style["color"], marker=style["marker"], markersize=5 if emphasised else 4,
                                  linestyle=_LINESTYLES[seen % len(_LINESTYLES)], zorder=3 if emphasised else 2)
                if s.get("family"):
                    line.set_gid(family_gid(s["family"], gid))
                handles.append(line)
                labels.append(s["label"])
            gid += 1
        if muted:
            labels.insert(handles.index(next(h for h in handles if (h.get_gid() or "").startswith("atlas-muted"))),
                          f"other families ({muted} series, muted)")
        _log_axis(ax, "x")
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        if baseline is not None:
            ax.axhline(baseline, color=colors["muted"], linestyle="--", linewidth=1.1, zorder=1)
            ax.text(0.01, baseline, f"random baseline ({baseline:g})", transform=ax.get_yaxis_transform(),
                    va="bottom", ha="left", fontsize=9.5, color=colors["muted"])
        for m in markers:
            ax.axvline(m["x"], color=colors["fg"], linestyle=":", linewidth=1.4, zorder=2)
            if p_index == 0:

                frac = (math.log10(m["x"]) - math.log10(xlim[0])) / (math.log10(xlim[1]) - math.log10(xlim[0]))
                right_side = frac > 0.5
                ax.annotate(m["label"], (m["x"], 0.985), xycoords=ax.get_xaxis_transform(), va="top",
                            ha="right" if right_side else "left", xytext=(-4 if right_side else 4, 0),
                            textcoords="offset points", fontsize=9.5, color=colors["fg"])
        ax.set_xlabel(spec["xlabel"])
        ax.set_ylabel(spec["ylabel"])
        ax.grid(color=colors["grid"], linewidth=0.5)
        _legend_below(fig, ax, spans[2 * p_index + 1], handles, labels, ncol, 0.3, width)
    return _save(plt, fig)


#: The highlighted-family panel under its descriptive name.
draw_evidence = draw_curve


def evidence_figure(series: list[dict[str, Any]], *, highlight_family: str | None = None,
                    reported_x: float | None = None, reported_label: str = "reported threshold",
                    baseline: float | None = None, xlabel: str = "training FLOPs (log scale)",
                    ylabel: str = "score", styles: dict[str, dict[str, str]] | None = None) -> dict[str, Any]:
    """A plot spec of scores against scale, ready for :class:`PlotRenderer` (kind ``curve``).

    ``series``: dicts with ``label``, ``points`` (``[[x, score], ...]``) and ``family``
    (the family's display name, which picks its colour site-wide). With
    ``highlight_family`` among the series, one panel shows that family in its colour
    and every other series muted; otherwise the series are drawn in their family
    colours, at most eight per panel, in as many stacked panels as needed.
    ``reported_x`` draws a dotted vertical line labelled ``reported_label`` inside the
    plot; ``baseline`` a dashed horizontal line labelled "random baseline".
    ``styles`` (from :func:`family_styles`, e.g. ``curves.site_styles(catalog, name_of)``)
    gives each family its site-wide colour now, so that :func:`describe_curve` sees
    the final panels; :func:`style_specs` fills in any family left without one.
    """
    spec: dict[str, Any] = {"kind": "curve", "series": [
        {"label": s["label"], "family": s.get("family"), "points": [list(p) for p in s["points"]]} for s in series],
        "baseline": baseline, "xlabel": xlabel, "ylabel": ylabel,
        "markers": [] if reported_x is None else [{"x": reported_x, "label": reported_label}]}
    if highlight_family is not None:
        spec["highlight"] = highlight_family
    if styles:
        style_specs({"spec": spec}, styles)
    return spec


def describe_curve(spec: dict[str, Any]) -> str:
    """One sentence saying exactly what a curve spec draws (for captions and alt text)."""
    series = [s for s in spec["series"] if s["points"]]
    highlight = spec.get("highlight")
    panels = _panels(series, highlight)
    families = sorted({s.get("family") or s["label"] for s in series})
    if highlight is not None and any(s.get("family") == highlight for s in series):
        others = sum(1 for s in series if s.get("family") != highlight)
        what = f"{highlight} in colour" + (f", {others} series of other families muted in grey" if others else "")
    elif len(panels) > 1:
        what = (f"{len(series)} series from {len(families)} model families in {len(panels)} panels of at most "
                f"{MAX_SERIES_PER_PANEL}, one colour per family, the same axes in every panel")
    else:
        what = f"{len(series)} series, one colour per family" if len(series) > 1 else "one series"
    parts = [what]
    for m in spec.get("markers", []):
        parts.append(f"the dotted vertical line marks {m['label']}")
    if spec.get("baseline") is not None:
        parts.append(f"the dashed horizontal line the random baseline ({spec['baseline']:g})")
    else:
        parts.append("no random baseline is drawn (none is known for this metric)")
    return "; ".join(parts) + "."


def style_specs(specs: dict[str, dict[str, Any]], styles: dict[str, dict[str, str]]) -> None:
    """Give every family named in the plot specs its site-wide style (colour and marker), in place."""
    for spec in specs.values():
        if spec["kind"] == "curve":
            for s in spec["series"]:
                if s.get("family") in styles:
                    s["style"] = styles[s["family"]]
        elif spec["kind"] == "emergence_map":
            spec["styles"] = {f: styles[f] for f in spec["families"] if f in styles}
        elif spec["kind"] == "family_sizes" and spec.get("family") in styles:
            spec["style"] = styles[spec["family"]]


def draw_threshold_overview(spec: dict[str, Any], theme: str) -> bytes:
    """Reported (x) against recomputed (y) thresholds, log-log, with the diagonal and x10 bands."""
    plt = _pyplot()
    _style(plt, theme, 11)
    colors = THEMES[theme]
    fig, ax = plt.subplots(figsize=(4.8, 4.6))
    pts = spec["points"]
    if pts:
        values = [v for p in pts for v in p[:2]]
        lo, hi = min(values) / 3, max(values) * 3
        ax.plot([lo, hi], [lo, hi], color=colors["muted"], linewidth=1)
        ax.plot([lo, hi], [lo * 10, hi * 10], color=colors["muted"], linewidth=0.8, linestyle="--")
        ax.plot([lo, hi], [lo / 10, hi / 10], color=colors["muted"], linewidth=0.8, linestyle="--")
        for same, color, marker, label in ((0, colors["muted"], "o", "curve of another family than the claim's"),
                                           (1, FAMILY_COLORS[1], "D", "curve of the claim's family")):
            sel = [p for p in pts if p[2] == same]
            if sel:
                ax.scatter([p[0] for p in sel], [p[1] for p in sel], s=16 if same else 12, color=color, marker=marker,
                           alpha=0.85 if same else 0.6, label=label, linewidths=0, zorder=3 if same else 2)
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        ax.legend(loc="upper left", fontsize=9.5)
    else:
        ax.text(0.5, 0.5, "no curve data yet", ha="center", va="center", transform=ax.transAxes)
    _log_axis(ax, "x")
    _log_axis(ax, "y")
    ax.set_xlabel("reported threshold (training FLOPs)")
    ax.set_ylabel("recomputed threshold, rule A")
    ax.grid(color=colors["grid"], linewidth=0.5)
    return _finish(plt, fig, right=0.96, left=0.17)


DRAWERS: dict[str, Callable[[dict[str, Any], str], bytes]] = {
    "threshold_overview": draw_threshold_overview,
    "emergence_map": draw_emergence_map,
    "family_sizes": draw_family_sizes,
    "curve": draw_curve,
}


def spec_key(spec: dict[str, Any]) -> str:
    """Content hash of a plot spec (with the style and matplotlib versions)."""
    import matplotlib

    payload = json.dumps({"spec": spec, "style": STYLE_VERSION, "mpl": matplotlib.__version__},
                         sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


class PlotRenderer:
    """Draws plot specs to SVG bytes, reusing cached SVGs when the spec is unchanged.

    ``cache_dir`` None disables the cache. Writes to the cache are atomic, so
    concurrent builds cannot leave a half-written file there.
    """

    def __init__(self, cache_dir: Path | None):
        self.cache_dir = cache_dir
        self.drawn = 0
        self.reused = 0

    def render(self, spec: dict[str, Any]) -> dict[str, bytes]:
        """``{theme: SVG bytes}`` for every theme; drawn once (light), recoloured for the others."""
        key = spec_key(spec)
        path = self.cache_dir / f"{key}.svg" if self.cache_dir else None
        if path is not None and path.is_file():
            self.reused += 1
            light = path.read_bytes()
        else:
            light = DRAWERS[spec["kind"]](spec, "light")
            self.drawn += 1
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{key}.", suffix=".tmp")
                with os.fdopen(fd, "wb") as handle:
                    handle.write(light)
                os.replace(tmp, path)
        return {theme: light if theme == "light" else recolor(light, "light", theme) for theme in THEMES}
