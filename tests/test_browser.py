"""The built site driven in headless Chromium (Debian's chromium; nothing is downloaded).

Skipped on a machine without Chromium, except where EMERGENCE_ATLAS_REQUIRE_BROWSER=1
(CI sets it), where a missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading

import pytest

pytestmark = pytest.mark.browser

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser(chromium_path_module):
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path_module, args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def chromium_path_module():
    import shutil
    from pathlib import Path

    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    if os.environ.get("EMERGENCE_ATLAS_REQUIRE_BROWSER") == "1":
        pytest.fail("Chromium is required here (EMERGENCE_ATLAS_REQUIRE_BROWSER=1) but was not found")
    pytest.skip("Debian's chromium is not installed")


@pytest.fixture(scope="module")
def server(built_site):
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda msg: pg.console_errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: pg.console_errors.append(str(exc)))
    yield pg
    context.close()


def test_home_loads_without_console_errors(page, server):
    page.goto(server + "/")
    assert page.locator("h2#the-emergence-map").count() == 1
    assert page.locator("img[src*='emergence-map-flops-light.svg']").count() == 1
    assert page.console_errors == []


def test_search_finds_an_ability_by_name(page, server):
    page.goto(server + "/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").fill("Hindu knowledge")
    result = page.locator(".md-search-result__item").first
    result.wait_for(timeout=15000)
    assert "hindu" in page.locator(".md-search-result__list").inner_text().lower()


def _column(page, index):
    return page.locator("#atlas-abilities tbody tr:not([hidden])").evaluate_all(
        f"rows => rows.map(r => r.cells[{index}].getAttribute('data-sort'))")


def test_table_sorts_by_flops_numerically_and_filters_with_url_state(page, server):
    page.goto(server + "/abilities/")
    header = page.locator("#atlas-abilities th[data-key='flops']")
    header.click()
    values = [float(v) for v in _column(page, 5) if v]
    assert values == sorted(values)
    assert "sort=flops" in page.url and "dir=asc" in page.url
    header.click()
    values = [float(v) for v in _column(page, 5) if v]
    assert values == sorted(values, reverse=True)
    assert values[0] > 1e24 > values[-1]
    page.select_option("select[data-filter='family']", "palm")
    assert "family=palm" in page.url
    visible = page.locator("#atlas-abilities tbody tr:not([hidden])")
    assert visible.count() > 0
    families = visible.evaluate_all("rows => [...new Set(rows.map(r => r.dataset.family))]")
    assert families == ["palm"]
    kept = page.url
    page.goto(kept)  # the link reproduces the view
    assert page.locator("select[data-filter='family']").input_value() == "palm"
    families = page.locator("#atlas-abilities tbody tr:not([hidden])").evaluate_all(
        "rows => [...new Set(rows.map(r => r.dataset.family))]")
    assert families == ["palm"]
    assert page.locator("#atlas-abilities th[data-key='flops']").get_attribute("aria-sort") == "descending"
    assert page.console_errors == []


def test_entry_page_shows_its_plot(page, server, built_site):
    # the claim's own evidence is shown open (later evidence may sit in a collapsed block)
    with_own = sorted(p for p in built_site.glob("abilities/*/index.html") if "plots/own-" in p.read_text(encoding="utf-8"))
    assert with_own, "no entry page shows its own evidence plot"
    path = "/" + str(with_own[0].relative_to(built_site).parent) + "/"
    page.goto(server + path)
    image = page.locator("figure.atlas-plot img[src*='plots/own-'][src*='-light.svg']").first
    image.wait_for()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.console_errors == []


@pytest.mark.parametrize("path", ["/", "/abilities/", "/abilities/arithmetic-3-digit-gpt-3-13b/", "/models/palm/",
                                  "/thresholds/", "/risks/"])
def test_no_serious_accessibility_violations(page, server, path):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    page.goto(server + path)
    results = axe_module.Axe().run(page)
    serious = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
               if v.get("impact") in ("serious", "critical")]
    assert serious == []


# -- a site a reader can read, at a phone's width and a laptop's -----------------------------------

WIDTHS = (390, 1280)
ENTRY = "/abilities/arithmetic-3-digit-gpt-3-13b/"
PAGE_KINDS = {
    "home": "/", "abilities index": "/abilities/", "entry": ENTRY, "family": "/models/palm/",
    "strategy": "/strategies/chain_of_thought/", "reference": "/references/wei2022emergent/",
    "references index": "/references/", "thresholds": "/thresholds/", "methodology": "/methodology/",
    "debates": "/debates/",
}


@pytest.fixture
def sized_page(browser):
    """A page factory at a given viewport width (light palette)."""
    contexts = []

    def make(width):
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        pg = context.new_page()
        pg.console_errors = []
        pg.on("pageerror", lambda exc: pg.console_errors.append(str(exc)))
        return pg

    yield make
    for context in contexts:
        context.close()


def test_page_kinds_exist_in_the_built_site(built_site):
    missing = [path for path in PAGE_KINDS.values() if not (built_site / path.strip("/") / "index.html").is_file()]
    assert missing == []


# Every table wider than the space it has must sit in a box that scrolls sideways itself.
_TABLES_JS = """() => [...document.querySelectorAll('article table')].map(t => {
  let box = t, scrolls = false;
  for (let el = t; el && el.tagName !== 'ARTICLE'; el = el.parentElement) {
    const overflow = getComputedStyle(el).overflowX;
    if (overflow === 'auto' || overflow === 'scroll') { box = el; scrolls = true; break; }
  }
  const r = box.getBoundingClientRect();
  return {wide: t.scrollWidth > box.clientWidth + 1, scrolls, right: r.right, width: box.clientWidth,
          inner: t.scrollWidth, id: t.id || t.className};
})"""

# A word (a run of letters and digits) split over two lines inside a table cell.
_BROKEN_WORDS_JS = """() => {
  const out = [];
  for (const cell of document.querySelectorAll('article table td, article table th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/[\\p{L}\\p{N}]{2,}/gu)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) out.push(m[0]);
      }
    }
  }
  return out;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_kind_scrolls_sideways_and_wide_tables_scroll_in_their_box(sized_page, server, width):
    pg = sized_page(width)
    report = {}
    tables_seen = 0
    for kind, path in PAGE_KINDS.items():
        pg.goto(server + path)
        page_width = pg.evaluate("document.documentElement.scrollWidth")
        tables = pg.evaluate(_TABLES_JS)
        tables_seen += len(tables)
        problems = [t["id"] for t in tables if t["wide"] and not t["scrolls"]]
        problems += [f"{t['id']} box ends at {t['right']:.0f}px" for t in tables if t["right"] > width + 1]
        if page_width > width or problems:
            report[kind] = (page_width, problems)
    assert report == {}
    assert tables_seen >= 10
    assert pg.console_errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_no_table_cell_breaks_a_word(sized_page, server, width):
    pg = sized_page(width)
    broken = {}
    hand_written = {"downloads": "/downloads/", "performance": "/performance/", "methodology": "/methodology/"}
    for kind in ("abilities index", "entry", "family", "strategy", "reference", "references index", "thresholds",
                 *hand_written):
        pg.goto(server + (hand_written.get(kind) or PAGE_KINDS[kind]))
        words = pg.evaluate(_BROKEN_WORDS_JS)
        if words:
            broken[kind] = sorted(set(words))[:10]
    assert broken == {}


def test_the_narrow_index_really_has_to_scroll_its_table(sized_page, server):
    """The word check above means something: at 390 px the index table is wider than the screen."""
    pg = sized_page(390)
    pg.goto(server + "/abilities/")
    table = [t for t in pg.evaluate(_TABLES_JS) if t["id"] == "atlas-abilities"]
    assert len(table) == 1 and table[0]["wide"] and table[0]["scrolls"]
    assert table[0]["inner"] > 390


def test_sortable_headers_show_an_indicator_before_any_click(page, server):
    page.goto(server + "/abilities/")
    glyphs = page.locator("#atlas-abilities th[data-type]").evaluate_all(
        "ths => ths.map(th => getComputedStyle(th, '::after').content)")
    assert len(glyphs) == 10 and set(glyphs) == {'"↕"'}
    page.locator("#atlas-abilities th[data-key='params']").click()
    after = page.locator("#atlas-abilities th[data-key='params']").evaluate("th => getComputedStyle(th, '::after').content")
    assert after == '"▲"'
    other_tables = page.goto(server + "/models/")
    assert other_tables.ok
    assert page.locator("table[data-atlas-sortable] th[data-type]").first.evaluate(
        "th => getComputedStyle(th, '::after').content") == '"↕"'


def test_index_text_filter_narrows_rows_and_lives_in_the_url(page, server):
    page.goto(server + "/abilities/")
    total = page.locator("#atlas-abilities tbody tr").count()
    box = page.locator("input[data-filter-text]")
    box.fill("arithmetic")
    visible = page.locator("#atlas-abilities tbody tr:not([hidden])")
    texts = visible.evaluate_all("rows => rows.map(r => r.textContent.toLowerCase())")
    assert 0 < len(texts) < total
    assert all("arithmetic" in t for t in texts)
    assert "q=arithmetic" in page.url
    assert page.locator("[data-atlas-count='atlas-abilities']").inner_text() == f"{len(texts)} of {total} entries"
    box.fill("arithmetic palm")  # every word must match
    narrower = page.locator("#atlas-abilities tbody tr:not([hidden])").evaluate_all(
        "rows => rows.map(r => r.textContent.toLowerCase())")
    assert 0 < len(narrower) < len(texts) and all("palm" in t and "arithmetic" in t for t in narrower)
    page.goto(server + "/abilities/?q=arithmetic")
    assert page.locator("input[data-filter-text]").input_value() == "arithmetic"
    assert page.locator("#atlas-abilities tbody tr:not([hidden])").count() == len(texts)


def test_unknown_url_filter_value_is_named_and_matches_nothing(page, server):
    page.goto(server + "/abilities/?family=palmm")
    notice = page.locator("[data-atlas-notice='atlas-abilities']")
    assert notice.is_visible()
    assert "Unknown family 'palmm'" in notice.inner_text()
    assert page.locator("#atlas-abilities tbody tr:not([hidden])").count() == 0
    total = page.locator("#atlas-abilities tbody tr").count()
    assert page.locator("[data-atlas-count='atlas-abilities']").inner_text() == f"0 of {total} entries"
    notice.locator("button").click()
    assert not notice.is_visible()
    assert page.locator("#atlas-abilities tbody tr:not([hidden])").count() == total
    assert "palmm" not in page.url
    page.goto(server + "/abilities/?family=palm")  # a known value: no notice
    assert not page.locator("[data-atlas-notice='atlas-abilities']").is_visible()
    assert page.console_errors == []


def test_api_reference_shows_no_sphinx_roles_and_examples_as_code(page, server):
    page.goto(server + "/api-reference/")
    text = page.locator("article").inner_text()
    assert "Catalog" in text and "Selection" in text
    for role in (":class:", ":meth:", ":func:", ":data:", ":mod:", ">>>"):
        assert role not in text
    links = page.locator("article a[href*='emergence_atlas.Catalog']").count()
    assert links >= 2  # cross-references resolved to links
    code = page.locator("article pre code").all_inner_texts()
    assert any('catalog["arithmetic-3-digit-gpt-3-13b"]' in c for c in code)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_plots_fit_the_column_and_follow_the_palette(browser, server, width, scheme):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    pg = context.new_page()
    for path in ("/", ENTRY, "/models/palm/"):
        pg.goto(server + path)
        shown = pg.locator("figure.atlas-plot img").evaluate_all(
            "imgs => imgs.filter(i => i.offsetParent !== null).map(i => [i.src, i.getBoundingClientRect().right])")
        assert shown, path
        assert all(src.endswith(f"-{scheme}.svg#only-{scheme}") or f"-{scheme}.svg" in src for src, _ in shown)
        assert all(right <= width for _, right in shown)
    context.close()


# -- the built files themselves ----------------------------------------------------------------

def _family_colours(svg_text):
    import re

    out = {}
    for m in re.finditer(r'<g id="atlas-family--(?P<family>[a-z0-9-]+?)--\d+"(?P<body>.*?)</g>', svg_text, re.S):
        colours = set(re.findall(r"(?:fill|stroke):\s*(#[0-9a-f]{6})", m["body"]))
        colours -= {"#1f2328", "#e6edf3"}  # marker edges in the theme's text colour
        out.setdefault(m["family"], set()).update(colours)
    return out


def test_one_family_has_one_colour_in_every_svg_of_the_site(built_site):
    svgs = sorted((built_site / "plots").glob("*.svg"))
    assert len(svgs) > 100
    seen: dict[str, dict[str, set[str]]] = {}
    for svg in svgs:
        for family, colours in _family_colours(svg.read_text(encoding="utf-8")).items():
            for colour in colours:
                seen.setdefault(family, {}).setdefault(colour, set()).add(svg.name)
    assert len(seen) >= 20  # the maps' families and the curves' families
    assert {"palm", "gpt-3", "chinchilla", "bloom", "qwen1-5"} <= set(seen)
    several = {family: {c: sorted(files)[:2] for c, files in colours.items()}
               for family, colours in seen.items() if len(colours) != 1}
    assert several == {}
    # PaLM on the FLOPs map, the parameter map and its family page: one colour
    (palm_files,) = seen["palm"].values()
    for name in ("emergence-map-flops-light.svg", "emergence-map-params-dark.svg", "family-palm-light.svg"):
        assert name in palm_files


def test_no_page_shows_a_raw_latex_command_in_a_name_or_title(built_site):
    import html
    import re

    latex = re.compile(r"\\[a-zA-Z]+\{|\\['\"`^~=.v]\{?[a-zA-Z]|\{\\")
    pages = sorted(built_site.rglob("index.html"))
    assert len(pages) > 200
    found = {}
    for path in pages:
        text = path.read_text(encoding="utf-8")
        body = text.split('<article', 1)[-1].split("</article>", 1)[0]
        body = re.sub(r"<(pre|code|script|style)\b.*?</\1>", " ", body, flags=re.S)  # BibTeX boxes are BibTeX
        visible = html.unescape(re.sub(r"<[^>]+>", " ", body))
        title = html.unescape(re.search(r"<title>(.*?)</title>", text, re.S)[1])
        hits = latex.findall(visible + " " + title)
        if hits:
            found[str(path.relative_to(built_site))] = hits[:3]
    assert found == {}
    ganguli = (built_site / "references" / "ganguli2023capacity" / "index.html").read_text(encoding="utf-8")
    assert "Kamilė Lukošiūtė" in ganguli
