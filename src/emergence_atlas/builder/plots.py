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
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: Bump when the drawing code changes, so cached SVGs are redrawn.
STYLE_VERSION = "4"

THEMES = {
    "light": {"fg": "#1f2328", "grid": "#d0d7de", "muted": "#57606a"},
    "dark": {"fg": "#e6edf3", "grid": "#30363d", "muted": "#9198a1"},
}
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
           "#bcbd22", "#7f7f7f", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173"]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _style(plt: Any, theme: str) -> None:
    colors = THEMES[theme]
    plt.rcParams.update({
        "svg.hashsalt": "emergence-atlas",
        "svg.fonttype": "none",
        "font.size": 9,
        "axes.edgecolor": colors["muted"],
        "axes.labelcolor": colors["fg"],
        "xtick.color": colors["muted"],
        "ytick.color": colors["muted"],
        "text.color": colors["fg"],
        "axes.facecolor": "none",
        "figure.facecolor": "none",
        "savefig.facecolor": "none",
        "xtick.minor.visible": False,
        "ytick.minor.visible": False,
        "legend.frameon": False,
    })


def _finish(plt: Any, fig: Any, right: float = 0.74, left: float = 0.12) -> bytes:
    # a fixed layout (no bbox_inches="tight", which draws the figure twice)
    fig.subplots_adjust(left=left, right=right, bottom=0.2, top=0.95)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return buffer.getvalue()


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


def draw_emergence_map(spec: dict[str, Any], theme: str) -> bytes:
    """Every entry as a point at its emergence scale, one row per category, coloured by family."""
    plt = _pyplot()
    _style(plt, theme)
    colors = THEMES[theme]
    rows: list[str] = spec["categories"]
    fig, ax = plt.subplots(figsize=(9, 1.6 + 0.9 * len(rows)))
    for i, family in enumerate(spec["families"]):
        pts = [p for p in spec["points"] if p["family"] == family]
        if not pts:
            continue
        ax.scatter([p["x"] for p in pts], [rows.index(p["category"]) + p["jitter"] for p in pts],
                   s=22, color=PALETTE[i % len(PALETTE)], label=family, alpha=0.85, linewidths=0)
    _log_axis(ax, "x")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(spec["category_labels"])
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel(spec["xlabel"])
    ax.grid(axis="x", color=colors["grid"], linewidth=0.6)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    return _finish(plt, fig, right=0.8, left=0.24)


def draw_family_sizes(spec: dict[str, Any], theme: str) -> bytes:
    """How many catalog entries emerge at each size of one family."""
    plt = _pyplot()
    _style(plt, theme)
    colors = THEMES[theme]
    fig, ax = plt.subplots(figsize=(6, 2.8))
    labels = [b["size"] for b in spec["bars"]]
    ax.bar(range(len(labels)), [b["count"] for b in spec["bars"]], color=PALETTE[0])
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels)
    ax.set_xlabel("model size")
    ax.set_ylabel("entries emerging at this size")
    ax.grid(axis="y", color=colors["grid"], linewidth=0.6)
    return _finish(plt, fig, right=0.97)


def draw_curve(spec: dict[str, Any], theme: str) -> bytes:
    """Score against scale (log x) per series, with random baseline and threshold markers."""
    plt = _pyplot()
    _style(plt, theme)
    colors = THEMES[theme]
    fig, ax = plt.subplots(figsize=(8, 3.6))
    for i, series in enumerate(spec["series"]):
        pts = sorted(series["points"])
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", markersize=3.5, linewidth=1.4,
                color=PALETTE[i % len(PALETTE)], label=series["label"])
    if spec.get("baseline") is not None:
        ax.axhline(spec["baseline"], color=colors["muted"], linestyle="--", linewidth=1, label="random baseline")
    for marker in spec.get("markers", []):
        ax.axvline(marker["x"], color=marker.get("color", colors["fg"]), linestyle=marker.get("style", ":"),
                   linewidth=1.2, label=marker["label"])
    _log_axis(ax, "x")
    ax.set_xlabel(spec["xlabel"])
    ax.set_ylabel(spec["ylabel"])
    ax.grid(color=colors["grid"], linewidth=0.5)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
    return _finish(plt, fig, right=0.66)


def draw_threshold_overview(spec: dict[str, Any], theme: str) -> bytes:
    """Reported (x) against recomputed (y) thresholds, log-log, with the diagonal and x10 bands."""
    plt = _pyplot()
    _style(plt, theme)
    colors = THEMES[theme]
    fig, ax = plt.subplots(figsize=(6.5, 5))
    pts = spec["points"]
    if pts:
        values = [v for p in pts for v in p[:2]]
        lo, hi = min(values) / 3, max(values) * 3
        ax.plot([lo, hi], [lo, hi], color=colors["muted"], linewidth=1)
        ax.plot([lo, hi], [lo * 10, hi * 10], color=colors["muted"], linewidth=0.8, linestyle="--")
        ax.plot([lo, hi], [lo / 10, hi / 10], color=colors["muted"], linewidth=0.8, linestyle="--")
        for same, color, label in ((0, PALETTE[0], "other family than the claim"), (1, PALETTE[1], "same family")):
            sel = [p for p in pts if p[2] == same]
            if sel:
                ax.scatter([p[0] for p in sel], [p[1] for p in sel], s=14, color=color, alpha=0.7, label=label,
                           linewidths=0)
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        ax.legend(loc="upper left", fontsize=8)
    else:
        ax.text(0.5, 0.5, "no curve data yet", ha="center", va="center", transform=ax.transAxes)
    _log_axis(ax, "x")
    _log_axis(ax, "y")
    ax.set_xlabel("reported threshold (training FLOPs)")
    ax.set_ylabel("recomputed threshold, rule A")
    ax.grid(color=colors["grid"], linewidth=0.5)
    return _finish(plt, fig, right=0.95, left=0.16)


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
