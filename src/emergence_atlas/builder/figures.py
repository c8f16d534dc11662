"""Figure specs: the family palette, how series split into panels, and what a figure shows.

Part of the builder step, beside :mod:`.plots` (which draws). Everything here is
plain data: a family's style (colour and marker, the same in every SVG of the
site), the split of a curve's series into panels, the spec of an evidence figure
and the sentence that says exactly what it draws.
"""

from __future__ import annotations

from typing import Any

#: The one palette of model-family colours, used by every plot of the site. Each
#: reads on Material's light and dark backgrounds alike (no dark navy, no pale
#: yellow). Families are given colours in a fixed order (see :func:`family_styles`);
#: families beyond the palette reuse its colours with another marker shape.
FAMILY_COLORS = ("#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#b6992d", "#d37295",
                 "#9c755f")
FAMILY_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
#: At most this many coloured series share one panel; more go to further panels.
MAX_SERIES_PER_PANEL = 8
#: At most this many stacked panels per figure; series beyond them are drawn grey only.
MAX_PANELS = 3


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


def split_panels(series: list[dict[str, Any]], highlight: str | None) -> list[list[dict[str, Any]]]:
    """The series drawn in colour, panel by panel; every other series is drawn grey behind them.

    With the highlighted family among the series: one panel with that family only.
    Up to MAX_SERIES_PER_PANEL series: one panel with all. More: at most
    MAX_PANELS stacked panels of at most MAX_SERIES_PER_PANEL, each colour at most
    once per panel where the counts allow; beyond MAX_PANELS full panels, the series
    with the fewest points stay grey only.
    """
    if highlight is not None and any(s.get("family") == highlight for s in series):
        return [[s for s in series if s.get("family") == highlight]]
    if len(series) <= MAX_SERIES_PER_PANEL:
        return [series] if series else []

    def color(s: dict[str, Any]) -> str | None:
        return (s.get("style") or {}).get("color")

    k = min(-(-len(series) // MAX_SERIES_PER_PANEL), MAX_PANELS)
    order = {id(s): i for i, s in enumerate(series)}
    chosen = sorted(series, key=lambda s: (-len(s["points"]), order[id(s)]))[:k * MAX_SERIES_PER_PANEL]
    counts: dict[str | None, int] = {}
    for s in chosen:
        counts[color(s)] = counts.get(color(s), 0) + 1
    panels: list[list[dict[str, Any]]] = [[] for _ in range(k)]
    # each colour's series to different panels: the emptiest panel with room that lacks the colour
    for s in sorted(chosen, key=lambda s: (-counts[color(s)], str(color(s)), order[id(s)])):
        room = [p for p in panels if len(p) < MAX_SERIES_PER_PANEL]
        free = [p for p in room if all(color(o) != color(s) for o in p)]
        min(free or room, key=len).append(s)
    return [sorted(p, key=lambda s: order[id(s)]) for p in panels if p]


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
    ``styles`` (from :func:`family_styles`, e.g. ``curves.site_styles(catalog, family_name)``)
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
    panels = split_panels(series, highlight)
    families = sorted({s.get("family") or s["label"] for s in series})
    coloured = sum(len(p) for p in panels)
    if highlight is not None and any(s.get("family") == highlight for s in series):
        others = len(series) - coloured
        what = f"{highlight} in colour" + (f", {others} series of other families in grey" if others else "")
    elif len(panels) > 1:
        what = (f"{len(series)} series from {len(families)} model families; {coloured} of them in colour, at most "
                f"{MAX_SERIES_PER_PANEL} per panel in {len(panels)} panels with the same axes, each panel showing "
                f"the other series in grey")
        if coloured < len(series):
            what += f" (the {len(series) - coloured} series with the fewest points only in grey)"
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
