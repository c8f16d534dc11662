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
    with_curves = [p for p in built_site.glob("abilities/*/index.html") if "plots/curve-" in p.read_text(encoding="utf-8")]
    target = with_curves[0] if with_curves else built_site / "models/gpt-3/index.html"
    path = "/" + str(target.relative_to(built_site).parent) + "/"
    page.goto(server + path)
    image = page.locator("figure.atlas-plot img").first
    image.wait_for()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.console_errors == []


@pytest.mark.parametrize("path", ["/", "/abilities/", "/abilities/arithmetic-3-digit-gpt-3-13b/"])
def test_no_serious_accessibility_violations(page, server, path):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    page.goto(server + path)
    results = axe_module.Axe().run(page)
    serious = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
               if v.get("impact") in ("serious", "critical")]
    assert serious == []
