"""Plots: matplotlib SVGs for the site, deterministic and cached by content.

Part of the builder step. Each plot is described by a plain, JSON-serialisable
*spec* (kind + data); the SVG is a pure function of the spec, so the same data
gives the same bytes (fixed hash salt, no date metadata), and a cache keyed by
the spec's hash skips redrawing unchanged plots. Every plot comes in a light and
a dark variant for Material's two palettes.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..fileio import write_atomic
from .figures import (
    FAMILY_COLORS,
    FAMILY_MARKERS,
    family_gid,
    family_styles,
    split_panels,
)

#: Bump when the drawing code changes, so cached SVGs are redrawn.
STYLE_VERSION = "10"

#: Theme colours; :func:`recolor` swaps each light value for its dark counterpart.
THEMES = {
    "light": {"fg": "#1f2328", "grid": "#d0d7de", "muted": "#57606a", "faint": "#b9c0c8"},
    "dark": {"fg": "#e6edf3", "grid": "#30363d", "muted": "#9198a1", "faint": "#4d545e"},
}

#: A family's second, third ... series in one panel (e.g. another prompting) get these line styles.
_LINESTYLES = ("-", "--", "-.", (0, (5, 1, 1, 1, 1, 1)))
#: The x axes of curves and maps (log scale) pad their data by this factor on each side.
_LOG_PAD = 10 ** 0.25


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


def pack_themes(files: dict[str, bytes]) -> dict[str, bytes]:
    """``files`` without the SVGs that are a recolour of their light variant (half the bytes to store)."""
    out = {}
    for path, data in files.items():
        light = _light_of(path)
        if light is not None and light[0] in files and recolor(files[light[0]], "light", light[1]) == data:
            continue
        out[path] = data
    return out


def unpack_themes(files: dict[str, bytes]) -> dict[str, bytes]:
    """The inverse of :func:`pack_themes`: every left-out variant recoloured back from its light SVG."""
    out = dict(files)
    for path, data in files.items():
        if path.startswith("plots/") and path.endswith("-light.svg"):
            for theme in THEMES:
                other = path[: -len("-light.svg")] + f"-{theme}.svg"
                if theme != "light" and other not in out:
                    out[other] = recolor(data, "light", theme)
    return dict(sorted(out.items()))


def _light_of(path: str) -> tuple[str, str] | None:
    """``(light variant's path, theme)`` of a plot in another theme, else None."""
    if not path.startswith("plots/"):
        return None
    for theme in THEMES:
        if theme != "light" and path.endswith(f"-{theme}.svg"):
            return path[: -len(f"-{theme}.svg")] + "-light.svg", theme
    return None


_SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def _power_of_ten(value: float, _position: Any = None) -> str:
    """``1e22`` -> ``10²²`` as plain text (no mathtext parsing, which dominates drawing time)."""
    if value <= 0:
        return ""
    exponent = round(math.log10(value))
    if abs(math.log10(value) - exponent) > 1e-9:
        return ""
    return "10" + str(exponent).translate(_SUPERSCRIPT)


def _log_axis(ax: Any, axis: str) -> None:
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    getattr(ax, f"set_{axis}scale")("log")
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(LogLocator(base=10, numticks=12))
    target.set_minor_locator(NullLocator())
    target.set_major_formatter(FuncFormatter(_power_of_ten))


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
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    font = FontProperties(size=fontsize)
    widest = max((text_to_path.get_text_width_height_descent(label, font, ismath=False)[0] for label in labels),
                 default=0.0)
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
    by_lane: dict[tuple[str, str, bool], list[float]] = {}
    for p in spec["points"]:
        by_lane.setdefault((p["category"], p["family"], bool(p.get("bound"))), []).append(p["x"])
    groups: dict[tuple[str, str, bool, float], int] = {}
    for (category, family, bound), values in by_lane.items():
        clusters: list[list[float]] = []
        for v in sorted(values):
            if clusters and v <= clusters[-1][0] * 1.03:
                clusters[-1].append(v)
            else:
                clusters.append([v])
        for cluster in clusters:
            spot = max(sorted(set(cluster)), key=cluster.count)  # the most frequent value marks the spot
            groups[(category, family, bound, spot)] = len(cluster)
    width = 5.0
    stack = _Stack(width, left=0.2, right=0.15)
    labels_all = [*families, "several entries (number)", "hollow: upper bound (by this size)"]
    ncol = _legend_columns(labels_all, width - stack.left - stack.right, 10)
    band = 0.3 + 0.1 * len(families)
    stack.add("axes", 0.15 + band * len(rows) + 0.55)
    stack.add("legend", 0.2 + 0.24 * _legend_rows(len(labels_all), ncol))
    fig, spans = stack.place(plt)
    ax = stack.axes(fig, spans[0], pad_top=0.15, pad_bottom=0.55)
    lanes = {f: (i + 0.5) / len(families) for i, f in enumerate(families)}
    handles, labels = [], []
    for n, family in enumerate(families):
        style = styles[family]
        drawn = False
        for bound in (False, True):  # an upper bound ("by 540B") is drawn hollow
            mine = [(cat, x, count) for (cat, fam, b, x), count in groups.items() if fam == family and b == bound]
            if not mine:
                continue
            drawn = True
            xs = [x for _, x, _ in mine]
            shift = 0.38 / len(families) if bound else 0.0  # bounds half a lane lower, clear of the filled markers
            ys = [len(rows) - 1 - rows.index(cat) - 0.5 + 0.12 + lanes[family] * 0.76 - shift for cat, _, _ in mine]
            sizes = [26 * count ** 0.7 for _, _, count in mine]
            if bound:
                artist = ax.scatter(xs, ys, s=sizes, marker=style["marker"], facecolors="none",
                                    edgecolors=style["color"], linewidths=1.4, zorder=3)
            else:
                artist = ax.scatter(xs, ys, s=sizes, color=style["color"], marker=style["marker"], alpha=0.9,
                                    linewidths=0.6, edgecolors=colors["fg"], zorder=3)
            artist.set_gid(family_gid(family, 2 * n + bound))
            for (_, x, count), y, size in zip(mine, ys, sizes, strict=True):
                if count > 1:  # the count beside the marker, clear of its edge (left of a bound, right otherwise)
                    offset = (size ** 0.5 / 2 + 2.5) * (-1 if bound else 1)
                    ax.annotate(str(count), (x, y), xytext=(offset, 0), textcoords="offset points", va="center",
                                ha="right" if bound else "left", fontsize=9.5, color=colors["fg"], zorder=4)
        if not drawn:
            continue
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
    ax.set_xlim(lo, hi * 10 ** 0.2)  # room for the counts printed right of the markers
    ax.set_yticks([])
    ax.set_ylim(-0.5, len(rows) - 0.5)
    ax.set_xlabel(spec["xlabel"])
    ax.grid(axis="x", color=colors["grid"], linewidth=0.6)
    handles.append(plt.Line2D([], [], linestyle="none", marker="o", color=colors["muted"], markersize=11))
    labels.append("several entries (number)")
    if any(bound for (_, _, bound, _) in groups):
        handles.append(plt.Line2D([], [], linestyle="none", marker="o", markerfacecolor="none",
                                  markeredgecolor=colors["muted"], markeredgewidth=1.4, markersize=7))
        labels.append("hollow: upper bound (by this size)")
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
    panels = split_panels(series, highlight) or [[]]
    markers = spec.get("markers", [])
    baseline = spec.get("baseline")
    width = 4.8
    stack = _Stack(width, left=0.72, right=0.15)
    highlighting = highlight is not None and any(s.get("family") == highlight for s in series)
    legend_labels = [s["label"] for p in panels for s in p] + ["other families (99 series, grey)"]
    ncol = _legend_columns(legend_labels, width - 0.3, 10)
    for panel in panels:
        n = len(panel) + (1 if len(panel) < len(series) else 0)  # the grey series share one legend row
        stack.add("axes", 2.5)
        stack.add("legend", 0.12 + 0.23 * _legend_rows(n, ncol))
    fig, spans = stack.place(plt)
    xs = [p[0] for s in series for p in s["points"]] + [m["x"] for m in markers]
    ys = [p[1] for s in series for p in s["points"]] + ([baseline] if baseline is not None else [])
    xlim = _log_limits(xs) if xs else (1.0, 10.0)
    span_y = (max(ys) - min(ys)) if ys else 1.0
    span_y = span_y or max(abs(ys[0]) * 0.1, 1.0)  # a flat curve still gets a visible band
    top_pad = 0.16 + 0.09 * max(len(markers) - 1, 0)  # room for the marker labels above the data
    ylim = (min(ys) - 0.06 * span_y, max(ys) + top_pad * span_y) if ys else (0.0, 1.0)
    gid = 0
    for p_index, panel in enumerate(panels):
        ax = stack.axes(fig, spans[2 * p_index], pad_top=0.1, pad_bottom=0.55)
        handles, labels = [], []
        coloured = {id(s) for s in panel}
        grey = [s for s in series if id(s) not in coloured]
        if grey:  # every grey series in two artists (lines, markers): drawing cost no longer grows per series
            _draw_grey(ax, grey, colors["faint"], p_index)
        repeats: dict[str, int] = {}
        for i, s in enumerate(panel):
            pts = sorted(s["points"])
            style = _series_style(s, i)
            emphasised = highlighting
            key = s.get("family") or s["label"]
            repeats[key] = repeats.get(key, -1) + 1
            (line,) = ax.plot([p[0] for p in pts], [p[1] for p in pts], linewidth=2.4 if emphasised else 1.6,
                              color=style["color"], marker=style["marker"], markersize=5 if emphasised else 4,
                              linestyle=_LINESTYLES[repeats[key] % len(_LINESTYLES)], zorder=3)
            if s.get("family"):
                line.set_gid(family_gid(s["family"], gid))
            gid += 1
            handles.append(line)
            labels.append(s["label"])
        if grey:
            handles.append(plt.Line2D([], [], linewidth=0.9, color=colors["faint"], marker="o", markersize=2.2))
            labels.append(f"other families ({len(grey)} series, grey)" if highlighting
                          else f"other series ({len(grey)}, grey)")
        _log_axis(ax, "x")
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        if baseline is not None:
            ax.axhline(baseline, color=colors["muted"], linestyle="--", linewidth=1.1, zorder=1)
            ax.text(0.01, baseline, f"random baseline ({baseline:g})", transform=ax.get_yaxis_transform(),
                    va="bottom", ha="left", fontsize=9.5, color=colors["muted"])
        for m_index, m in enumerate(sorted(markers, key=lambda m: m["x"])):
            ax.axvline(m["x"], color=colors["fg"], linestyle=m.get("style", ":"), linewidth=1.4, zorder=2)
            if p_index == 0:  # the label inside the axes, on the side with room, one line down per marker
                frac = (math.log10(m["x"]) - math.log10(xlim[0])) / (math.log10(xlim[1]) - math.log10(xlim[0]))
                right_side = frac > 0.5
                ax.annotate(m["label"], (m["x"], 0.985), xycoords=ax.get_xaxis_transform(), va="top",
                            ha="right" if right_side else "left", xytext=(-4 if right_side else 4, -13 * m_index),
                            textcoords="offset points", fontsize=9.5, color=colors["fg"])
        ax.set_xlabel(spec["xlabel"])
        ax.set_ylabel(spec["ylabel"])
        ax.grid(color=colors["grid"], linewidth=0.5)
        _legend_below(fig, ax, spans[2 * p_index + 1], handles, labels, ncol, 0.3, width)
    return _save(plt, fig)


def _draw_grey(ax: Any, grey: list[dict[str, Any]], color: str, panel: int) -> None:
    """The muted series of one panel: their lines as one collection, their points as one marker set."""
    from matplotlib.collections import LineCollection

    paths = [sorted(s["points"]) for s in grey]
    lines = LineCollection([[(p[0], p[1]) for p in pts] for pts in paths if len(pts) > 1], linewidths=0.9,
                           colors=color, zorder=1)
    lines.set_gid(f"atlas-muted--lines--{panel}")
    ax.add_collection(lines, autolim=False)
    (points,) = ax.plot([p[0] for pts in paths for p in pts], [p[1] for pts in paths for p in pts], linestyle="none",
                        color=color, marker="o", markersize=2.2, zorder=1)
    points.set_gid(f"atlas-muted--points--{panel}")


#: The highlighted-family panel under its descriptive name.
draw_evidence = draw_curve


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
        for same, color, marker, label in ((0, colors["fg"], "o", "curve of another family than the claim's"),
                                           (1, FAMILY_COLORS[1], "D", "curve of the claim's family")):
            sel = [p for p in pts if p[2] == same]
            if sel:
                ax.scatter([p[0] for p in sel], [p[1] for p in sel], s=16 if same else 12, color=color, marker=marker,
                           alpha=0.9 if same else 0.55, label=label, linewidths=0, zorder=3 if same else 2)
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


def _read_svg(path: Path) -> bytes | None:
    """A cached SVG, or None when it is missing, unreadable or not a whole SVG (it is drawn again)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if data.startswith(b"<?xml") and data.rstrip().endswith(b"</svg>") else None


#: SVGs by spec key, kept for the life of the process when a renderer is asked to (``memo``).
_SVG_MEMO: dict[str, dict[str, bytes]] = {}
_SVG_MEMO_LIMIT = 20_000


class PlotRenderer:
    """Draws plot specs to SVG bytes, reusing cached SVGs when the spec is unchanged.

    ``cache_dir`` None disables the cache. Writes to the cache are atomic, so
    concurrent builds cannot leave a half-written file there. With ``memo``, the
    SVGs of this process's earlier renders are reused without reading the cache
    folder (``mkdocs serve`` rebuilds in one process).
    """

    def __init__(self, cache_dir: Path | None, *, memo: bool = False):
        self.cache_dir = cache_dir
        self.memo = memo
        self.drawn = 0
        self.reused = 0

    def render(self, spec: dict[str, Any], *, light: bytes | None = None) -> dict[str, bytes]:
        """``{theme: SVG bytes}`` for every theme; drawn once (light), recoloured for the others.

        ``light``: the light SVG already drawn elsewhere (by :meth:`render_all`'s workers).
        """
        key = spec_key(spec)
        if self.memo and key in _SVG_MEMO:
            self.reused += 1
            return _SVG_MEMO[key]
        themed = self._render(key, spec, light)
        if self.memo:
            if len(_SVG_MEMO) >= _SVG_MEMO_LIMIT:
                _SVG_MEMO.clear()
            _SVG_MEMO[key] = themed
        return themed

    def render_all(self, specs: dict[str, dict[str, Any]],
                   progress: Callable[[int, int], None] | None = None) -> dict[str, dict[str, bytes]]:
        """:meth:`render` for every spec (``{name: {theme: SVG}}``), the ones to draw drawn in parallel.

        The same as ``PlotJob(self, specs, progress).result()``: see :class:`PlotJob`.
        """
        return PlotJob(self, specs, progress).result()

    def _cached(self, key: str) -> bool:
        return self.cache_dir is not None and (self.cache_dir / f"{key}.svg").is_file()

    def _render(self, key: str, spec: dict[str, Any], light: bytes | None = None) -> dict[str, bytes]:
        path = self.cache_dir / f"{key}.svg" if self.cache_dir else None
        if light is None:
            light = _read_svg(path) if path is not None else None
            if light is not None:
                self.reused += 1
                return _themed(light)
            light = DRAWERS[spec["kind"]](spec, "light")
        self.drawn += 1
        if path is not None:
            with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
                write_atomic(path, light, durable=False)
        return _themed(light)


def _themed(light: bytes) -> dict[str, bytes]:
    return {theme: light if theme == "light" else recolor(light, "light", theme) for theme in THEMES}


#: Fewer plots than this to draw are drawn in this process (a worker's start costs about half a second).
PARALLEL_MIN = 16


def worker_count() -> int:
    """How many processes draw plots: one per CPU this process may use, capped by ``EMERGENCE_ATLAS_JOBS``."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    cap = os.environ.get("EMERGENCE_ATLAS_JOBS", "").strip()
    return max(1, min(cpus, int(cap))) if cap.isdigit() and int(cap) > 0 else cpus


def can_fork() -> bool:
    """True when worker processes may be forked here: the fork method exists and no other thread runs."""
    import multiprocessing
    import threading

    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def _draw_light(spec: dict[str, Any]) -> bytes:
    return DRAWERS[spec["kind"]](spec, "light")


class PlotJob:
    """Plots being drawn by worker processes while the caller goes on; :meth:`result` collects them.

    Specs found in the renderer's memo or cache folder are read when collected; when
    at least :data:`PARALLEL_MIN` are left to draw, a pool of worker processes (one
    per CPU, at most ``EMERGENCE_ATLAS_JOBS``) starts drawing them at once, so a
    site build can convert its pages meanwhile; fewer are drawn here, in
    :meth:`result`. The bytes are the same either way, only sooner. Workers are
    forked when this process runs no other thread (cheap, and the caller's script is
    not imported again) and spawned otherwise (``mkdocs serve`` runs threads, which a
    fork does not copy safely); a pool that cannot start or breaks leaves its plots
    to be drawn here.
    """

    def __init__(self, renderer: PlotRenderer, specs: dict[str, dict[str, Any]],
                 progress: Callable[[int, int], None] | None = None, *, start: bool = True):
        self.renderer, self.specs, self.progress = renderer, specs, progress
        self.keys = {name: spec_key(spec) for name, spec in specs.items()}
        self.missing = {key: specs[name] for name, key in self.keys.items()
                        if not (renderer.memo and key in _SVG_MEMO) and not renderer._cached(key)}
        self._order = sorted(self.missing)
        self._pool: Any = None
        self._results: Any = None
        self.jobs = min(worker_count(), len(self.missing) // (PARALLEL_MIN // 2))
        if start:
            self.start()

    @property
    def wants_workers(self) -> bool:
        """True when enough plots are left to draw for worker processes to pay off."""
        return len(self.missing) >= PARALLEL_MIN and self.jobs >= 2

    def start(self, pool: Any = None) -> bool:
        """Start drawing in worker processes: in ``pool`` (which this job then shuts down) or a pool of its own.

        Returns True when ``pool`` was taken. Does nothing when too few plots are left
        to draw (they are drawn in :meth:`result`) or the drawing already started.
        """
        if self._results is not None or not self.wants_workers:
            return False
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        method = "fork" if can_fork() else "spawn"
        try:
            self._pool = pool or ProcessPoolExecutor(max_workers=self.jobs,
                                                     mp_context=multiprocessing.get_context(method))
            # map submits every chunk now; the results are read in result()
            self._results = self._pool.map(_draw_light, [self.missing[k] for k in self._order],
                                           chunksize=max(1, len(self._order) // (self.jobs * 8)))
        except (BrokenProcessPool, OSError):  # no processes here: drawn in result()
            self.cancel()
        return pool is not None

    def _collect(self) -> dict[str, bytes]:
        """``{key: light SVG}`` from the workers (those they drew before any failure)."""
        from concurrent.futures.process import BrokenProcessPool

        drawn: dict[str, bytes] = {}
        if self._results is None:
            return drawn
        total, ready = len(self.specs), len(self.specs) - len(self.missing)
        try:
            for key, svg in zip(self._order, self._results, strict=True):
                drawn[key] = svg
                if self.progress is not None:
                    self.progress(ready + len(drawn), total)
        except (BrokenProcessPool, OSError):  # e.g. a spawned worker cannot start: the rest drawn here
            pass
        finally:
            self.cancel()
        return drawn

    def cancel(self) -> None:
        """Stop the workers (a build that failed does not wait for its plots)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = self._results = None

    def result(self) -> dict[str, dict[str, bytes]]:
        """``{name: {theme: SVG bytes}}`` for every spec, waiting for the workers."""
        drawn = self._collect()
        out = {}
        for i, (name, key) in enumerate(sorted(self.keys.items()), start=1):
            out[name] = self.renderer.render(self.specs[name], light=drawn.get(key))
            if self.progress is not None and len(drawn) < len(self.missing):  # (else the workers reported)
                self.progress(i, len(self.specs))
        return out
