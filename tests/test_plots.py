"""Plots a reader can read: one colour per family, few series per panel, markers inside the axes."""

from __future__ import annotations

import multiprocessing
import re
import threading

import pytest

from emergence_atlas.builder.figures import (
    FAMILY_COLORS,
    MAX_SERIES_PER_PANEL,
    describe_curve,
    evidence_figure,
    family_styles,
    style_specs,
)
from emergence_atlas.builder.figures import split_panels as _panels
from emergence_atlas.builder.plots import THEMES, draw_curve, draw_emergence_map


def _contrast(a: str, b: str) -> float:
    def lum(hex_colour: str) -> float:
        rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_family_colours_read_on_both_palettes():
    light_bg, dark_bg = "#ffffff", "#1e2129"  # Material's default and slate backgrounds
    weak = [c for c in FAMILY_COLORS if _contrast(c, light_bg) < 2.2 or _contrast(c, dark_bg) < 2.5]
    assert weak == []
    assert not set(FAMILY_COLORS) & {v for theme in THEMES.values() for v in theme.values()}  # recolouring keeps them


def test_family_styles_are_one_per_family_and_spread_over_families_drawn_together():
    names = [f"F{i:02d}" for i in range(30)]
    together = [set(names[:12]), set(names[12:30])]
    styles = family_styles(names, together)
    assert len({(s["color"], s["marker"]) for s in styles.values()}) == 30
    first = [styles[n]["color"] for n in names[:9]]
    assert len(set(first)) == 9  # nine families drawn together: nine colours
    assert family_styles(names, together) == styles  # deterministic
    assert family_styles(["LLaMA", "Llama"])["Llama"] == family_styles(["LLaMA"])["LLaMA"]


def _series(n: int) -> list[dict]:
    return [{"label": f"F{i}, few-shot", "family": f"F{i}", "points": [[1e21 * (i + 1), 0.1], [1e23, 0.2 + i / 100]]}
            for i in range(n)]


def test_many_series_go_to_panels_of_at_most_eight_without_a_colour_twice():
    series = _series(22)
    styles = family_styles([s["family"] for s in series], [{s["family"] for s in series}])
    spec = evidence_figure(series, reported_x=2.3e22, reported_label="reported: GPT-3 13B", styles=styles)
    panels = _panels(spec["series"], None)
    assert len(panels) == 3
    assert sorted(len(p) for p in panels) == [7, 7, 8]
    for panel in panels:
        colours = [s["style"]["color"] for s in panel]
        assert len(colours) == len(set(colours)) <= MAX_SERIES_PER_PANEL
    assert describe_curve(spec) == (
        "22 series from 22 model families; 22 of them in colour, at most 8 per panel in 3 panels with the same axes, "
        "each panel showing the other series in grey; the dotted vertical line marks reported: GPT-3 13B; no random "
        "baseline is drawn (none is known for this metric).")
    svg = draw_curve(spec, "light").decode()
    assert len(re.findall(r'<g id="atlas-family--', svg)) == 22
    # each panel: the other series in grey, as one set of lines and one set of markers
    assert re.findall(r'<g id="(atlas-muted--[a-z]+--\d)"', svg) == [
        f"atlas-muted--{part}--{panel}" for panel in range(3) for part in ("lines", "points")]


def test_beyond_three_panels_the_series_with_fewest_points_stay_grey():
    series = _series(30)
    for s in series[:6]:
        s["points"] = s["points"] + [[1e24, 0.5]]
    spec = evidence_figure(series, styles=family_styles([s["family"] for s in series]))
    panels = _panels(spec["series"], None)
    assert [len(p) for p in panels] == [8, 8, 8]
    coloured = {s["family"] for p in panels for s in p}
    assert {f"F{i}" for i in range(6)} <= coloured and len(coloured) == 24
    assert "(the 6 series with the fewest points only in grey)" in describe_curve(spec)


def test_highlighted_family_in_colour_the_others_muted_and_labels_inside_the_plot():
    series = _series(12)
    styles = family_styles([s["family"] for s in series])
    spec = evidence_figure(series, highlight_family="F3", reported_x=1e24, reported_label="reported: F3 540B",
                           baseline=25, xlabel="training FLOPs (log scale)", ylabel="accuracy (%)", styles=styles)
    assert _panels(spec["series"], "F3") == [[spec["series"][3]]]
    assert describe_curve(spec) == ("F3 in colour, 11 series of other families in grey; the dotted vertical "
                                    "line marks reported: F3 540B; the dashed horizontal line the random baseline (25).")
    svg = draw_curve(spec, "light").decode()
    assert len(re.findall(r'<g id="atlas-family--', svg)) == 1
    assert re.findall(r'<g id="(atlas-muted--[a-z]+--\d)"', svg) == ["atlas-muted--lines--0", "atlas-muted--points--0"]
    grey_lines = re.search(r'<g id="atlas-muted--lines--0">(.*?)</g>', svg, re.S)[1]
    assert grey_lines.count("<path") == 11  # one line per grey series
    assert "reported: F3 540B" in svg and "random baseline (25)" in svg
    assert "other families (11 series, grey)" in svg
    assert draw_curve(spec, "light").decode() == svg  # same spec, same bytes
    # the reported threshold sits at the right edge of the data: its label is right-aligned, inside the axes
    label = re.search(r"<text[^>]*text-anchor: end[^>]*>reported: F3 540B", svg)
    assert label is not None


def test_map_counts_entries_at_one_spot_and_keeps_family_colours():
    points = [{"x": 5e23, "category": "few", "family": "Chinchilla", "jitter": 0}] * 40
    points += [{"x": 2.5e24, "category": "few", "family": "PaLM", "jitter": 0}]
    spec = {"kind": "emergence_map", "categories": ["few"], "category_labels": ["Few-shot prompted task"],
            "families": ["Chinchilla", "PaLM"], "points": points, "xlabel": "training FLOPs (log scale)"}
    style_specs({"map": spec}, family_styles(["Chinchilla", "GPT-3", "PaLM"]))
    svg = draw_emergence_map(spec, "light").decode()
    assert re.search(r">40<", svg)
    chinchilla = re.search(r'<g id="atlas-family--chinchilla--\d+"(.*?)</g>', svg, re.S)[1]
    assert FAMILY_COLORS[0] in chinchilla
    palm = re.search(r'<g id="atlas-family--palm--\d+"(.*?)</g>', svg, re.S)[1]
    assert spec["styles"]["PaLM"]["color"] in palm


def _many_specs() -> dict:
    from emergence_atlas.builder import plots

    return {f"p{i}": evidence_figure(_series(1 + i % 5), reported_x=1e22 * (i + 1), reported_label=f"r{i}",
                                     styles=family_styles([f"F{k}" for k in range(5)]))
            for i in range(plots.PARALLEL_MIN)}


@pytest.mark.parametrize("threads", [1, 2], ids=["forked", "spawned"])  # spawned when the process runs threads
def test_plots_drawn_by_worker_processes_are_the_bytes_drawn_here(tmp_path, monkeypatch, threads):
    from emergence_atlas.builder import plots

    monkeypatch.setattr(threading, "active_count", lambda: threads)
    methods: list[str] = []
    real_context = multiprocessing.get_context
    monkeypatch.setattr(multiprocessing, "get_context", lambda method=None: methods.append(method) or real_context(method))
    specs = _many_specs()
    monkeypatch.setattr(plots, "worker_count", lambda: 2)  # two workers even on a one-CPU machine
    seen: list[tuple[int, int]] = []
    renderer = plots.PlotRenderer(tmp_path / "cache")
    themed = renderer.render_all(specs, lambda done, total: seen.append((done, total)))
    assert renderer.drawn == len(specs) and renderer.reused == 0
    assert seen[-1] == (len(specs), len(specs)) and len(seen) == len(specs)
    for name, spec in specs.items():
        light = draw_curve(spec, "light")
        assert themed[name] == {"light": light, "dark": plots.recolor(light, "light", "dark")}
    assert len(list((tmp_path / "cache").glob("*.svg"))) == len(specs)  # stored for the next build
    again = plots.PlotRenderer(tmp_path / "cache")
    assert again.render_all(specs) == themed and again.drawn == 0 and again.reused == len(specs)
    assert methods == ["fork" if threads == 1 else "spawn"]


def test_worker_count_follows_the_cpus_and_the_cap(monkeypatch):
    from emergence_atlas.builder import plots

    monkeypatch.setattr(plots.os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3})
    monkeypatch.delenv("EMERGENCE_ATLAS_JOBS", raising=False)
    assert plots.worker_count() == 4
    monkeypatch.setenv("EMERGENCE_ATLAS_JOBS", "1")
    assert plots.worker_count() == 1
    monkeypatch.setenv("EMERGENCE_ATLAS_JOBS", "9")
    assert plots.worker_count() == 4
    monkeypatch.setenv("EMERGENCE_ATLAS_JOBS", "many")
    assert plots.worker_count() == 4


def test_a_pool_that_cannot_start_leaves_the_drawing_to_this_process(tmp_path, monkeypatch):
    import concurrent.futures
    from concurrent.futures.process import BrokenProcessPool

    from emergence_atlas.builder import plots

    class Broken:
        def __init__(self, *args, **kwargs):
            pass

        def map(self, *args, **kwargs):
            def results():
                yield from ()
                raise BrokenProcessPool("a worker died")

            return results()

        def shutdown(self, **kwargs):
            pass

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Broken)
    monkeypatch.setattr(plots, "worker_count", lambda: 2)
    specs = _many_specs()
    seen: list[tuple[int, int]] = []
    renderer = plots.PlotRenderer(None)
    themed = renderer.render_all(specs, lambda done, total: seen.append((done, total)))
    assert renderer.drawn == len(specs) and seen[-1] == (len(specs), len(specs))
    assert themed["p3"]["light"] == draw_curve(specs["p3"], "light")
