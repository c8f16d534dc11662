"""Page generation: one pure function of the catalog -> ``{path: bytes}`` for the site.

The builder step. :func:`generate_pages` turns a validated :class:`Catalog` into
Markdown pages (with autoescaped HTML for everything that comes from catalog
files), SVG plots and the download files. The MkDocs plugin serves the result as
virtual files; ``emergence-atlas pages OUT`` writes the same bytes to disk for
any other engine.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from markupsafe import Markup, escape

from .._version import __version__
from ..catalog import QUANTITY_KINDS, Catalog, ResolvedQuantity, find_size
from ..diagnostics import CODES
from ..evidence import VERDICT_LABELS, Interval, ReplicationVerdict
from ..export import DOWNLOADS, render
from ..formatting import QUANTITY_LABELS, format_quantity
from ..references import citation_labels
from ..schema.models import AbilityEntry
from ..schema.quantities import BOUNDS
from ..schema.vocabularies import (
    AXIS_TERMS,
    CATEGORY_TERMS,
    CLAIM_FORM_TERMS,
    DIRECTION_TERMS,
    EVIDENCE_TERMS,
    KIND_TERMS,
    METRIC_TERMS,
    PROMPTING_TERMS,
    REASON_RELATION_TYPES,
    REASON_TERMS,
    RELATION_TERMS,
    SENSE_TERMS,
    SOURCE_ROLE_TERMS,
    STATUS_TERMS,
    VOCABULARIES,
)
from .claims import headline, printed_note
from .curves import later_figure, own_figure, site_styles
from .derived import DERIVED
from .figures import style_specs
from .kinds import KINDS
from .memo import MEMO, RenderMemo, fingerprint
from .plots import PlotJob, PlotRenderer
from .text import description_html, front_matter_title, human_count, scientific, slug

Progress = Callable[[str, int, int], None]



class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept for the life of the process (keyed by Jinja by name and source checksum),
    so that each generation (each ``mkdocs serve`` rebuild) does not compile them again."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.compiled.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("emergence_atlas.builder", "templates"),
        bytecode_cache=_COMPILED,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    return env


def reference_slugs(catalog: Catalog) -> dict[str, str]:
    """BibTeX key -> URL slug of its page (unique even if two keys slug alike)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for key in catalog.references:
        base = slug(key)
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        used.add(candidate)
        out[key] = candidate
    return out


def _bounded(text: str, form: str, value: float | None) -> str:
    """A scale cell: a placeholder size is not shown as a threshold, an upper bound says so."""
    if value is None:
        return text
    if form in ("loss_threshold", "shape"):
        return "not a size threshold"
    return f"≤ {text}" if form == "upper_bound" else text


def _sort_value(value: float | None, form: str) -> str:
    """Numeric sort key; placeholders and unknowns sort with the unknowns (empty)."""
    if value is None or form in ("loss_threshold", "shape"):
        return ""
    return repr(value)


class _Site:
    """Shared lookups for one generation run."""

    def __init__(self, catalog: Catalog, memo: RenderMemo | None = None):
        self.catalog = catalog
        self.env = _environment()
        self.refslugs = reference_slugs(catalog)
        self.labels = citation_labels(catalog.references)
        self.memo = memo
        self._rows: dict[str, dict[str, Any]] = {}
        # what every template reads besides its context: the lookups of the globals below
        self.shared = fingerprint(self.refslugs, self.labels) if memo is not None else None
        self.env.globals.update(
            refslug=lambda key: self.refslugs.get(key, slug(key)),
            short=self.short,
            evidence_def=lambda ev: EVIDENCE_TERMS[ev.value].definition,
            reason_label=lambda r: REASON_TERMS[r.value].label,
            relation_label=lambda r: RELATION_TERMS[r.value].label,
            role_label=lambda r: SOURCE_ROLE_TERMS[r.value].label,
            entry_filters=lambda rows: [(key, sorted({r[key] for r in rows})) for key in ("kind", "direction", "axis")
                                        if len({r[key] for r in rows}) > 1],
            term_label=lambda vocab, value: {"kind": KIND_TERMS, "direction": DIRECTION_TERMS,
                                             "axis": AXIS_TERMS}[vocab][value].label,
        )

    def short(self, key: str) -> str:
        """``Wei et al. 2022`` label of a BibTeX key, told apart from its namesakes (the key itself when unknown)."""
        return self.labels.get(key, key)

    def render(self, template: str, **context: Any) -> bytes:
        return self.env.get_template(template).render(**context).encode("utf-8")

    def page(self, pages: dict[str, bytes], kind: str, key: str | None = None, /,
             known: dict[str, str | None] | None = None, **context: Any) -> None:
        """Render the page of ``kind`` (for record ``key``) with its template, at its path.

        ``known`` gives the fingerprints of context values already fingerprinted (by name), so
        that a value many pages share is walked once; the page's key uses them in its place.
        """
        page_kind = KINDS[kind]
        path = page_kind.path_for(key)
        if self.memo is None:
            pages[path] = self.render(page_kind.template, **context)
            return
        known = known or {}
        fp = None
        if self.shared is not None and all(v is not None for v in known.values()):
            walked = {name: value for name, value in context.items() if name not in known}
            fp = fingerprint(self.shared, page_kind.template, path, walked, sorted(known.items()))
        pages[path] = self.memo.get(path, fp, lambda: self.render(page_kind.template, **context))

    def key_of(self, value: Any) -> str | None:
        """The fingerprint of a value the generation does not change (a frozen record, a shared figure)."""
        return DERIVED.key_of(value) if self.memo is not None else None

    def keys_of(self, values: list[Any]) -> str | None:
        """The fingerprint of a list of such values (None when one of them has none)."""
        keys = [self.key_of(value) for value in values]
        return None if any(k is None for k in keys) else fingerprint(keys)

    def family_name(self, family_id: str) -> str:
        family = self.catalog.families.get(family_id)
        return family.name if family else family_id

    def row(self, entry: AbilityEntry) -> dict[str, Any]:
        """The entry's row in the tables that list entries (made once per generation: four pages list it)."""
        found = self._rows.get(entry.id)
        if found is None:
            found = self._rows[entry.id] = self._row(entry)
        return found

    def _row(self, entry: AbilityEntry) -> dict[str, Any]:
        scale = self.catalog.scale(entry)
        form = entry.emergence.form.value
        params, flops = scale.value("params"), scale.value("train_flops")
        return {
            "id": entry.id, "ability": entry.ability, "benchmark": entry.task.benchmark, "task": entry.task.name,
            # the task name escaped, with a line-break opportunity after each underscore
            "task_html": Markup(str(escape(entry.task.name)).replace("_", "_<wbr>")),
            "benchmark_slug": slug(entry.task.benchmark), "category": entry.category.value,
            "category_label": CATEGORY_TERMS[entry.category.value].label, "family": entry.model.family,
            "family_name": self.family_name(entry.model.family), "size": entry.model.size,
            "params": _bounded(format_quantity("params", params), form, params), "params_sort": _sort_value(params, form),
            "flops": _bounded(format_quantity("train_flops", flops), form, flops), "flops_sort": _sort_value(flops, form),
            "form": form, "kind": entry.kind.value, "direction": entry.direction.value,
            "axis": entry.axis.name.value if entry.axis else "model_scale",
            "strategy": entry.prompting.strategy.value,
            "strategy_label": PROMPTING_TERMS[entry.prompting.strategy.value].label,
            "status": entry.status.value, "status_label": STATUS_TERMS[entry.status.value].label,
            "source_label": self.short(entry.source.key),
            "check": self.catalog.evidence(entry).summary(),
        }


def _scale_rows(q_by_kind: dict[str, ResolvedQuantity | None]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for kind, q in q_by_kind.items():
        if q is None:
            rows.append({"label": QUANTITY_LABELS[kind], "value": "unknown", "as_printed": None,
                         "basis": "no source read gives it", "method": None, "source": None, "origin": None,
                         "note": None, "disagreements": [], "printed": None})
            continue
        printed = q.printed if q.printed_differs else None
        rows.append({
            "label": QUANTITY_LABELS[kind], "value": format_quantity(kind, q.value), "as_printed": q.as_printed,
            "basis": q.basis.value, "method": q.method, "source": q.source, "origin": q.origin, "note": q.note,
            "disagreements": [{"value": format_quantity(kind, d.value), "as_printed": d.as_printed, "source": d.source,
                               "note": d.note} for d in q.disagreements],
            "printed": None if printed is None else {"value": format_quantity(kind, printed.value),
                                                     "as_printed": printed.as_printed, "source": printed.source},
        })
    return rows


def _entry_bibtex(entry: AbilityEntry, site_url: str | None) -> str:
    return (f"@misc{{emergenceatlas:{entry.id},\n"
            f"  title        = {{{{{entry.ability}}}: entry {entry.id} of Emergence Atlas}},\n"
            f"  author       = {{{{The Emergence Atlas contributors}}}},\n"
            f"  howpublished = {{Emergence Atlas, version {__version__}}},\n"
            f"  url          = {{{(site_url or '').rstrip('/') + '/' if site_url else ''}abilities/{entry.id}/}},\n"
            f"  note         = {{Catalog entry; cite the original source as well}}\n}}")


def _thresholds_overview(site: _Site, pages: dict[str, bytes], specs: dict[str, dict[str, Any]]) -> None:
    """The evidence overview: replications first (with verdict counts), then later evidence per entry."""
    replications, later = [], []
    counts = {v: 0 for v in ReplicationVerdict}
    for entry in site.catalog:
        ev = site.catalog.evidence(entry)
        model = f"{site.family_name(entry.model.family)} {entry.model.size}"
        for r in ev.replications:
            counts[r.verdict] += 1
            task = site.catalog.curves[r.curve].task.name
            replications.append({"id": entry.id, "ability": entry.ability, "model": model, "series": f"{task}: {r.label}",
                                 "verdict": r.verdict.value, "verdict_label": VERDICT_LABELS[r.verdict],
                                 "statement": r.statement})
        if ev.later:
            rising = sum(1 for e in ev.later if e.crossing.verdict.value == "threshold")
            early = sum(1 for e in ev.later if e.crossing.verdict.value == "above_from_smallest")
            undetermined = sum(1 for e in ev.later if e.crossing.verdict.value == "undetermined")
            later.append({"id": entry.id, "ability": entry.ability, "model": model, "series": len(ev.later),
                          "rising": rising, "early": early, "undetermined": undetermined})
    specs.pop("thresholds-overview", None)
    site.page(pages, "thresholds",
        replications=replications, later=later,
        counts=[(VERDICT_LABELS[v], v.value, n) for v, n in counts.items()])


def _interval_text(span: Interval) -> list[str]:
    """The emergence interval in words, one line per axis."""
    form = span.form.value
    up = span.upper
    if form == "loss_threshold":
        return ["a pre-training loss threshold, not a size (see the scale table)"]
    if form == "shape":
        return ["not a threshold: the claim is about the shape of the curve"]
    if form == "upper_bound":
        lines = [f"by {up.size}: at most {human_count(up.params)} parameters" if up.params else f"by {up.size}"]
        if up.train_flops:
            lines.append(f"at most {scientific(up.train_flops)} training FLOPs")
        return lines
    low = span.lower
    if low is None:
        return [f"at {up.size}" + (f" ({human_count(up.params)} parameters)" if up.params else ""), span.note]
    lines = [f"between {low.size} and {up.size}: {human_count(low.params)} to {human_count(up.params)} parameters"]
    if low.train_flops and up.train_flops:
        lines.append(f"{scientific(low.train_flops)} to {scientific(up.train_flops)} training FLOPs")
    lines.append("lower end: " + ("a size the source shows was evaluated" if low.origin == "stated"
                                  else "the registry's next smaller size; the source may not have evaluated it"))
    return lines


def _score_text(score: Any) -> str:
    return f"{score.value:g}{'%' if score.scale.value == 'percent' else ''}"


def _chance_text(entry: AbilityEntry) -> str | None:
    if entry.metric is not None and entry.metric.random_baseline is not None:
        return f"chance {entry.metric.random_baseline:g}"
    if entry.task.answer_choices:
        return f"chance 1 in {entry.task.answer_choices} (answer choices)"
    return None


def _entry_pages(site: _Site, pages: dict[str, bytes], specs: dict[str, dict[str, Any]],
                 site_url: str | None) -> None:
    catalog = site.catalog
    by_task: dict[tuple[str, str], list[AbilityEntry]] = defaultdict(list)
    for entry in catalog:
        by_task[(entry.task.benchmark, entry.task.name)].append(entry)
    later_figures: dict[str, dict[str, Any] | None] = {}
    for entry in catalog:
        scale = catalog.scale(entry)
        kinds = {k: getattr(scale, k) for k in ("params", "train_flops", "train_tokens")}
        if entry.scale.pretraining_loss is not None:
            q = entry.scale.pretraining_loss
            kinds["pretraining_loss"] = ResolvedQuantity(q.value, q.basis, q.source, "entry", q.as_printed, q.method,
                                                         q.note, q.disagreements)
        related_ids = list(dict.fromkeys([*entry.related, *(e.id for e in by_task[(entry.task.benchmark, entry.task.name)])]))
        related = [{"id": i, "ability": catalog[i].ability, "family": site.family_name(catalog[i].model.family),
                    "size": catalog[i].model.size} for i in related_ids if i != entry.id and i in catalog]
        ev = catalog.evidence(entry)
        own_curves = list(dict.fromkeys(r.curve for r in ev.replications))
        own = [f for f in (own_figure(catalog, entry, catalog.curves[c], specs, site.family_name) for c in own_curves) if f]
        later: list[dict[str, Any]] = []
        for curve_id in dict.fromkeys(e.curve for e in ev.later):
            if curve_id not in later_figures:
                later_figures[curve_id] = later_figure(catalog, catalog.curves[curve_id], specs, site.family_name)
            figure = later_figures[curve_id]
            if figure is not None:
                later.append(figure)
        family_name = site.family_name(entry.model.family)
        source_label = site.short(entry.source.key)
        against = [r for r in entry.relations if r.type.value in ("contests", "refutes")]
        em = entry.emergence
        scores = []
        if em.score_at is not None:
            scores.append({"label": f"at {entry.model.size}", "text": _score_text(em.score_at), "source": em.score_at.source,
                           "standard": _score_text(em.baseline_score_at) if em.baseline_score_at else None})
        if em.score_below is not None:
            below = em.below.size if em.below else "the lower end"
            scores.append({"label": f"at {below}", "text": _score_text(em.score_below), "source": em.score_below.source,
                           "standard": _score_text(em.baseline_score_below) if em.baseline_score_below else None})
        source_key = entry.source.key
        site.page(
            pages, "entry", entry.id, title_line=front_matter_title(entry.ability), e=entry, root="../../",
            headline=headline(catalog, entry, family_name, source_label), description=description_html(entry.description),
            interval_lines=_interval_text(ev.interval), printed_note=printed_note(catalog, entry, site.short),
            form_label=CLAIM_FORM_TERMS[entry.emergence.form.value].label,
            scores=scores, chance=_chance_text(entry),
            scale_rows=_scale_rows(kinds), category_label=CATEGORY_TERMS[entry.category.value].label,
            family_name=family_name,
            strategy_label=PROMPTING_TERMS[entry.prompting.strategy.value].label,
            metric_label=METRIC_TERMS[entry.metric.name.value].label if entry.metric else "",
            status_label=STATUS_TERMS[entry.status.value].label, against=against, related=related,
            curve_task={c: catalog.curves[c].task.name for c in own_curves},
            own=own, later_figures=later, later_notes=list(dict.fromkeys(n for f in later for n in f["notes"])),
            replications=ev.replications, later=ev.later,
            known=None if site.memo is None else {  # shared by many pages, or kept from the last generation
                "later_figures": site.keys_of(later),
                "replications": site.key_of(ev.replications), "later": site.key_of(ev.later)},
            verdict_label=lambda v: VERDICT_LABELS[v], evidence_summary=ev.summary(),
            source_bibtex=catalog.references[source_key].bibtex if source_key in catalog.references else "",
            entry_bibtex=_entry_bibtex(entry, site_url),
        )


PLACEHOLDER_FORMS = ("loss_threshold", "shape")


def _map_spec(site: _Site, axis: str) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """One emergence map: thresholds and upper bounds at their claimed size; placeholders left out."""
    catalog = site.catalog
    categories = [c for c in CATEGORY_TERMS if any(e.category.value == c for e in catalog)]
    points: list[dict[str, Any]] = []
    missing: list[dict[str, str]] = []
    for entry in catalog:
        if entry.emergence.form.value in PLACEHOLDER_FORMS:
            continue
        value = catalog.scale(entry).value(axis)
        if value is None:
            missing.append({"id": entry.id, "ability": entry.ability, "family": site.family_name(entry.model.family),
                            "size": entry.model.size})
            continue
        jitter = (int(slug(entry.id).encode().hex()[-6:], 16) % 1000) / 1000 * 0.6 - 0.3
        points.append({"x": value, "category": entry.category.value, "family": site.family_name(entry.model.family),
                       "jitter": round(jitter, 4), "bound": entry.emergence.form.value == "upper_bound"})
    families = sorted({p["family"] for p in points})
    spec = {"kind": "emergence_map", "categories": categories,
            "category_labels": [CATEGORY_TERMS[c].label for c in categories], "families": families,
            "points": points, "xlabel": "training FLOPs (log scale)" if axis == "train_flops" else "parameters (log scale)"}
    return spec, missing


def _family_pages(site: _Site, pages: dict[str, bytes], specs: dict[str, dict[str, Any]]) -> None:
    catalog = site.catalog
    counts = Counter((e.model.family, (find_size(catalog.families[e.model.family], e.model.size) or e.model).size)
                     for e in catalog)
    by_family: dict[str, list[AbilityEntry]] = defaultdict(list)
    for entry in catalog:
        by_family[entry.model.family].append(entry)
    index = []
    for family in catalog.families.values():
        rows = [site.row(e) for e in by_family[family.id]]
        sizes = []
        for s in family.sizes:
            quantities = []
            for kind in QUANTITY_KINDS:
                q = getattr(s, kind)
                quantities.append(None if q is None else {
                    "value": format_quantity(kind, q.value), "basis": q.basis.value, "method": q.method,
                    "source": q.source, "note": q.note,
                    "disagreements": [{"value": format_quantity(kind, d.value), "source": d.source, "note": d.note}
                                      for d in q.disagreements]})
            sizes.append({"label": s.size, "aliases": list(s.aliases), "quantities": quantities,
                          "count": counts[(family.id, s.size)]})
        plot = f"family-{family.id}"
        specs[plot] = {"kind": "family_sizes", "family": family.name, "bars": [{"size": s.size, "count": counts[(family.id, s.size)]}
                                                        for s in family.sizes]}
        site.page(
            pages, "family", family.id, title_line=front_matter_title(family.name), f=family, root="../../", sizes=sizes,
            rows=rows, plot=plot, plot_alt=f"Number of catalog entries emerging at each size of {family.name}")
        index.append({"id": family.id, "name": family.name, "developer": family.developer or "",
                      "sizes": len(family.sizes), "count": len(rows)})
    site.page(pages, "families", families=index)


def _strategy_pages(site: _Site, pages: dict[str, bytes]) -> None:
    index = []
    for value, term in PROMPTING_TERMS.items():
        rows = [site.row(e) for e in site.catalog if e.prompting.strategy.value == value]
        site.page(
            pages, "strategy", value, title_line=front_matter_title(term.label), term=term, rows=rows, root="../../")
        index.append({"value": value, "label": term.label, "definition": term.definition, "count": len(rows)})
    site.page(pages, "strategies", strategies=index)


def _reference_pages(site: _Site, pages: dict[str, bytes]) -> None:
    catalog = site.catalog
    # one pass over every record, so the pages cost O(records), not O(references x records)
    entries_by_key: dict[str, list[AbilityEntry]] = defaultdict(list)
    families_by_key: dict[str, list[dict[str, str]]] = defaultdict(list)
    curves_by_key: dict[str, list[str]] = defaultdict(list)
    for entry in catalog:
        for cited in entry.cited_keys():
            entries_by_key[cited].append(entry)
    for fam in catalog.families.values():
        for cited in fam.cited_keys():
            families_by_key[cited].append({"id": fam.id, "name": fam.name})
    for curve in catalog.curves.values():
        for cited in curve.cited_keys():
            curves_by_key[cited].append(curve.id)
    index: list[dict[str, Any]] = []
    for key, ref in catalog.references.items():
        rows = [site.row(e) for e in entries_by_key[key]]
        families = families_by_key[key]
        curves = curves_by_key[key]
        authors = ", ".join(ref.authors[:6]) + (" et al." if len(ref.authors) > 6 else "")
        site.page(
            pages, "reference", site.refslugs[key], title_line=front_matter_title(ref.title or key), r=ref, authors=authors,
            link=ref.link if ref.link and ref.link.startswith(("http://", "https://")) else None, rows=rows,
            families=families, curves=curves, root="../../")
        index.append({"slug": site.refslugs[key], "title": ref.title or key, "authors": authors,
                      "year": ref.year or "", "count": len(rows)})
    index.sort(key=lambda r: (-r["count"], r["title"]))
    site.page(pages, "references", refs=index)


def _risk_row(site: _Site, e: AbilityEntry) -> dict[str, Any]:
    against = [r for r in e.relations if r.type.value in ("contests", "refutes")]
    return {"id": e.id, "ability": e.ability, "kind": KIND_TERMS[e.kind.value].label,
            "model": f"{site.family_name(e.model.family)} {e.model.size}",
            "axis": AXIS_TERMS[e.axis.name.value].label if e.axis else AXIS_TERMS["model_scale"].label,
            "condition": e.condition or "", "harm": "higher is worse" if e.metric and e.metric.higher_is_worse else "",
            "source": site.short(e.source.key),
            "evidence": e.source.evidence.value.replace("_", " ") if e.source.evidence else "",
            "against": [site.short(r.source.key) for r in against], "sense": e.emergent_sense.value}


def _risks_page(site: _Site, pages: dict[str, bytes]) -> None:
    """Risks and mitigations, grouped by the direction of change with scale; "emergent" in another sense apart."""
    catalog = site.catalog
    groups = []
    for direction, term in DIRECTION_TERMS.items():
        rows = [_risk_row(site, e) for e in catalog if e.kind.value != "ability" and e.direction.value == direction
                and e.emergent_sense.value != "other"]
        if rows:
            groups.append({"label": term.label, "definition": term.definition, "rows": rows})
    other = [_risk_row(site, e) for e in catalog if e.kind.value != "ability" and e.emergent_sense.value == "other"]
    if other:
        groups.append({"label": "Another sense of emergent", "definition": SENSE_TERMS["other"].definition,
                       "rows": other})
    site.page(pages, "risks", groups=groups)


def _axes_page(site: _Site, pages: dict[str, bytes]) -> None:
    """Claims whose change is measured against something other than model size."""
    catalog = site.catalog
    groups = []
    for axis, term in AXIS_TERMS.items():
        if axis == "model_scale":
            continue
        rows = []
        for e in catalog:
            on_axis = e.axis.name.value if e.axis else (
                "pretraining_loss" if e.scale.pretraining_loss is not None else "model_scale")
            if on_axis != axis:
                continue
            threshold = ""
            if e.axis is not None and e.axis.threshold is not None:
                t = e.axis.threshold
                threshold = f"{t.as_printed or f'{t.value:g}'}{' ' + e.axis.unit if e.axis.unit else ''}"
            elif axis == "pretraining_loss" and e.scale.pretraining_loss is not None:
                threshold = f"about {e.scale.pretraining_loss.value:g}"
            rows.append({"id": e.id, "ability": e.ability, "model": f"{site.family_name(e.model.family)} {e.model.size}",
                         "direction": DIRECTION_TERMS[e.direction.value].label, "threshold": threshold,
                         "condition": e.condition or "", "source": site.short(e.source.key),
                         "evidence": e.source.evidence.value.replace("_", " ") if e.source.evidence else ""})
        groups.append({"label": term.label, "definition": term.definition, "rows": rows})
    site.page(pages, "axes", groups=groups)


def _abilities_index(site: _Site, pages: dict[str, bytes]) -> None:
    catalog = site.catalog
    rows = [site.row(e) for e in catalog]

    def options(key: str, label_of: Callable[[str], str]) -> list[dict[str, str]]:
        values = sorted({r[key] for r in rows}, key=lambda v: label_of(v).lower())
        return [{"value": v, "label": label_of(v)} for v in values]

    benchmarks = {r["benchmark_slug"]: r["benchmark"] for r in rows}
    filters = [
        {"key": "category", "label": "Category", "options": options("category", lambda v: CATEGORY_TERMS[v].label)},
        {"key": "family", "label": "Family", "options": options("family", site.family_name)},
        {"key": "strategy", "label": "Prompting", "options": options("strategy", lambda v: PROMPTING_TERMS[v].label)},
        {"key": "benchmark", "label": "Benchmark", "options": options("benchmark_slug", lambda v: benchmarks[v])},
        {"key": "status", "label": "Status", "options": options("status", lambda v: STATUS_TERMS[v].label)},
        {"key": "kind", "label": "Kind", "options": options("kind", lambda v: KIND_TERMS[v].label)},
        {"key": "direction", "label": "Direction", "options": options("direction", lambda v: DIRECTION_TERMS[v].label)},
        {"key": "axis", "label": "Axis", "options": options("axis", lambda v: AXIS_TERMS[v].label)},
    ]
    columns = [{"key": k, "label": lbl, "type": t} for k, lbl, t in (
        ("ability", "ability", "text"), ("task", "task", "text"), ("category", "category", "text"),
        ("model", "model", "text"), ("params", "parameters", "number"), ("flops", "training FLOPs", "number"),
        ("prompting", "prompting", "text"), ("status", "status", "text"), ("source", "source", "text"),
        ("check", "replication", "text"))]
    site.page(pages, "abilities", rows=rows, filters=filters, columns=columns)


def _later_work(site: _Site, pages: dict[str, bytes]) -> None:
    rows = []
    for entry in site.catalog:
        for r in entry.relations:
            rows.append({
                "id": entry.id, "ability": entry.ability,
                "model": f"{site.family_name(entry.model.family)} {entry.model.size}",
                "type": r.type.value, "type_label": RELATION_TERMS[r.type.value].label,
                "reason": REASON_TERMS[r.reason.value].label if r.reason else "",
                "work": site.short(r.source.key), "slug": site.refslugs.get(r.source.key, slug(r.source.key)),
                "locator": r.source.locator, "scope": r.scope.value.replace("_", " "),
                "evidence": r.source.evidence.value.replace("_", " ") if r.source.evidence else "",
                "status": STATUS_TERMS[entry.status.value].label,
            })
    site.page(pages, "later-work", rows=rows)


def _beyond_scaling(site: _Site, pages: dict[str, bytes]) -> None:
    catalog = site.catalog
    groups: dict[tuple[str, str], list[AbilityEntry]] = defaultdict(list)
    for entry in catalog:
        groups[(entry.task.benchmark, entry.task.name)].append(entry)
    out = []
    for (benchmark, name), entries in sorted(groups.items()):
        if len({(e.model.family, e.model.size) for e in entries}) < 2:
            continue
        def year(e: AbilityEntry) -> str:
            ref = catalog.references.get(e.source.key)
            return (ref.year or "") if ref else ""
        def params(e: AbilityEntry) -> float:
            value = catalog.scale(e).value("params")
            return value if value is not None else float("inf")
        ordered = sorted(entries, key=lambda e: (year(e), params(e), e.id))
        smallest = float("inf")
        rows = []
        for e in ordered:
            record = params(e) < smallest
            smallest = min(smallest, params(e))
            scale = catalog.scale(e)
            rows.append({"year": year(e), "id": e.id, "model": f"{site.family_name(e.model.family)} {e.model.size}",
                         "params": format_quantity("params", scale.value("params")),
                         "flops": format_quantity("train_flops", scale.value("train_flops")),
                         "source": site.short(e.source.key),
                         "slug": site.refslugs.get(e.source.key, slug(e.source.key)), "record": record})
        out.append({"title": f"{benchmark}: {name}", "anchor": slug(f"{benchmark}-{name}"), "rows": rows})
    site.page(pages, "beyond-scaling", groups=out)


def generate_pages(catalog: Catalog, *, cache_dir: Path | None = None, progress: Progress | None = None,
                   site_url: str | None = None, memo: bool = False) -> dict[str, bytes]:
    """Every generated file of the site, as ``{path relative to docs_dir: bytes}``.

    The pages and downloads of :func:`generate_pages_deferred` with its plots.
    """
    pages, plots = generate_pages_deferred(catalog, cache_dir=cache_dir, progress=progress, site_url=site_url,
                                           memo=memo)
    pages.update(plot_files(plots.result()))
    return dict(sorted(pages.items()))


def plot_files(themed: dict[str, dict[str, bytes]]) -> dict[str, bytes]:
    """``{path: SVG}`` of drawn plots (``{name: {theme: SVG}}``): ``plots/<name>-<theme>.svg``."""
    return {f"plots/{name}-{theme}.svg": svg for name, by_theme in sorted(themed.items())
            for theme, svg in by_theme.items()}


def generate_pages_deferred(catalog: Catalog, *, cache_dir: Path | None = None, progress: Progress | None = None,
                            site_url: str | None = None, memo: bool = False,
                            start_plots: bool = True) -> tuple[dict[str, bytes], PlotJob]:
    """The generated pages and downloads (``{path: bytes}``), and the plots as a :class:`PlotJob` still drawing.

    The site build hands MkDocs the pages while worker processes draw the plots, and
    collects them (``plot_files(job.result())``) at the end of the build. With
    ``start_plots`` False the job waits for its :meth:`PlotJob.start`.

    A pure function of the catalog (the plot cache only saves time: a cached SVG
    has the same bytes as a freshly drawn one). ``memo`` reuses, within this
    process, every page whose template context is unchanged since the previous
    call with ``memo`` (:data:`emergence_atlas.builder.memo.MEMO`; ``mkdocs serve``
    rebuilds that way), the evidence and download texts of every record whose inputs
    are unchanged (:data:`emergence_atlas.builder.derived.DERIVED`), and the SVG of
    every unchanged plot spec: the same bytes, fewer computations.
    """
    if memo:
        MEMO.start()
        DERIVED.start()
        DERIVED.evidence(catalog)
    site = _Site(catalog, MEMO if memo else None)
    pages: dict[str, bytes] = {}
    specs: dict[str, dict[str, Any]] = {}
    _entry_pages(site, pages, specs, site_url)
    _abilities_index(site, pages)
    _risks_page(site, pages)
    _axes_page(site, pages)
    _family_pages(site, pages, specs)
    _strategy_pages(site, pages)
    _reference_pages(site, pages)
    _later_work(site, pages)
    _thresholds_overview(site, pages, specs)
    _beyond_scaling(site, pages)
    flops_map, no_flops = _map_spec(site, "train_flops")
    params_map, _ = _map_spec(site, "params")
    specs["emergence-map-flops"] = flops_map
    specs["emergence-map-params"] = params_map
    site.page(
        pages, "home", title_line=front_matter_title("Emergence Atlas"), n_entries=len(catalog),
        n_families=len(catalog.families), n_references=len(catalog.references), n_curves=len(catalog.curves),
        unknown_flops=no_flops, version=__version__,
        placeholders=[{"id": e.id, "ability": e.ability, "family": site.family_name(e.model.family), "size": e.model.size,
                       "form": CLAIM_FORM_TERMS[e.emergence.form.value].label}
                      for e in catalog if e.emergence.form.value in PLACEHOLDER_FORMS])
    site.page(
        pages, "diagnostics", codes=list(CODES.values()),
        bounds=[{"kind": k, "low": f"{lo:g}", "high": f"{hi:g}"} for k, (lo, hi) in BOUNDS.items()])
    site.page(
        pages, "vocabularies", vocabularies=[{"name": n, "terms": list(t.values())} for n, t in VOCABULARIES.items()],
        reason_types=REASON_RELATION_TYPES)
    if memo:
        pages.update(DERIVED.downloads(catalog))
    else:
        for name, fmt in DOWNLOADS.items():
            pages[f"downloads/{name}"] = render(catalog, fmt).encode("utf-8")
    style_specs(specs, site_styles(catalog, site.family_name))
    step = (lambda done, total: progress("plots", done, total)) if progress is not None else None
    plots = PlotJob(PlotRenderer(cache_dir, memo=memo), specs, step, start=start_plots)
    if memo:
        MEMO.finish()
        DERIVED.finish()
    return dict(sorted(pages.items())), plots


def terminal_progress(stream: Any = None) -> Progress | None:
    """A progress printer for long steps, or None when the stream is not a terminal."""
    stream = stream or sys.stderr
    if not getattr(stream, "isatty", lambda: False)():
        return None

    def report(step: str, done: int, total: int) -> None:
        stream.write(f"\r{step}: {done}/{total}")
        if done == total:
            stream.write("\n")
        stream.flush()

    return report


__all__ = ["generate_pages", "generate_pages_deferred", "plot_files", "reference_slugs", "terminal_progress"]
