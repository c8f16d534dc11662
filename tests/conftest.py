"""Shared test helpers: small catalogs built in a temporary folder from fixtures; the browser requirement."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent

# The test workers already use every CPU (pytest-xdist): plots are drawn in each worker's own process
# rather than by a pool of further processes competing for the same CPUs (the pool has its own tests).
os.environ.setdefault("EMERGENCE_ATLAS_JOBS", "1")


@pytest.fixture
def make_catalog(tmp_path, monkeypatch):
    """Copy the valid fixture catalog to ``tmp_path/catalog``, apply overlays, chdir there.

    ``overlays`` maps a path inside the catalog to a broken fixture name (copied),
    to bytes (written), or to None (deleted). A ``.bib`` fixture is appended to
    references.bib after one blank line.
    """

    def build(overlays: dict[str, str | bytes | None] | None = None) -> Path:
        root = tmp_path / "catalog"
        if root.exists():
            shutil.rmtree(root)
        shutil.copytree(FIXTURES / "valid", root)
        for dest, src in (overlays or {}).items():
            target = root / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            if src is None:
                if target.is_dir():
                    shutil.rmtree(target)
                else:
                    target.unlink()
            elif isinstance(src, bytes):
                target.write_bytes(src)
            elif dest == "references.bib":
                target.write_bytes(target.read_bytes() + b"\n" + (FIXTURES / "broken" / src).read_bytes())
            else:
                shutil.copyfile(FIXTURES / "broken" / src, target)
        monkeypatch.chdir(tmp_path)
        return Path("catalog")

    return build


def run_lint(root: Path) -> list[str]:
    """Every diagnostic line of ``build_catalog(root)``."""
    from emergence_atlas.build import build_catalog

    _, diags, _ = build_catalog(root)
    return [d.format() for d in diags]




def mkdocs_build(config: Path, out: Path, *, engine: str = "mkdocs", cache: Path | None = None,
                 build_cache: Path | None = None):
    """Run ``<engine> build --strict`` on a config; return the CompletedProcess.

    ``cache`` is the plot cache; ``build_cache`` the plugin's cache folder (a new empty
    folder by default, so a test build never reads what another build, or a developer's
    ``.cache/``, left behind).
    """
    import subprocess
    import sys
    import tempfile

    scratch = None if build_cache is not None else tempfile.mkdtemp(prefix="atlas-build-cache-")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "EMERGENCE_ATLAS_CACHE": str(build_cache or scratch)}
    if cache is not None:
        env["EMERGENCE_ATLAS_PLOT_CACHE"] = str(cache)
    try:
        return subprocess.run([sys.executable, "-m", engine, "build", "--strict", "-f", str(config), "-d", str(out)],
                              capture_output=True, text=True, env=env, check=False, cwd=REPO)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def site_config_for(catalog_root: Path, folder: Path) -> Path:
    """A site config like the real one that builds ``catalog_root`` with only the generated pages.

    (The hand-written pages link to entries of the real catalog, so they stay out.)
    """
    import yaml

    docs = folder / "docs"
    shutil.copytree(REPO / "site" / "assets", docs / "assets", dirs_exist_ok=True)
    for page in ("methodology", "contributing", "downloads", "debates"):  # targets of generated links
        (docs / f"{page}.md").write_text(f"# {page.title()}\n", encoding="utf-8")
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: site", f"docs_dir: {docs}")
    text = text.replace("catalog: catalog", f"catalog: {catalog_root}")
    head = text[: text.index("\nnav:")]
    from emergence_atlas.builder.kinds import PAGE_KINDS

    nav = [f"{kind.nav[-1]}: {kind.path}" for kind in PAGE_KINDS if kind.nav is not None]
    nav += ["Methodology: methodology.md", "Contributing: contributing.md", "Downloads: downloads.md", "Debates: debates.md"]
    text = head + "\nnav:\n" + "".join(f"  - {item}\n" for item in nav)
    text = re.sub(r"\nwatch:\n(  - .*\n)+", "\n", text)
    yaml.safe_load(text)  # still valid YAML
    config = folder / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


@pytest.fixture(scope="session")
def plot_cache(tmp_path_factory) -> Path:
    """One plot cache for the test session: drawn once (cold) by ``generated_pages``, then reused."""
    return tmp_path_factory.mktemp("plot-cache")


@pytest.fixture(scope="session")
def real_catalog():
    """The real catalog under ``catalog/``, loaded once per test session."""
    from emergence_atlas.build import load_catalog

    return load_catalog(REPO / "catalog")


@pytest.fixture(scope="session")
def generated_pages(real_catalog, plot_cache) -> dict[str, bytes]:
    """The real catalog's generated pages, plots and downloads, drawn with an empty plot cache.

    Generated once per session; it fills ``plot_cache``, so every later build of the real
    site in the session draws nothing again (the determinism tests draw a second time
    without any cache on purpose).
    """
    from emergence_atlas.builder.pages import generate_pages

    return generate_pages(real_catalog, cache_dir=plot_cache)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, request, plot_cache) -> Path:
    """The real catalog's site, built once per test session with a strict build.

    Builds after ``generated_pages`` with the same plot cache, so the plots are drawn
    once in the session. ``EMERGENCE_ATLAS_BUILT_SITE=<dir>`` reuses a site built
    beforehand from this checkout (to iterate on the browser tests without rebuilding).
    """
    reuse = os.environ.get("EMERGENCE_ATLAS_BUILT_SITE")
    if reuse:
        assert (Path(reuse) / "index.html").is_file(), f"no built site in {reuse}"
        return Path(reuse)
    request.getfixturevalue("generated_pages")  # fills the plot cache first
    out = tmp_path_factory.mktemp("site")
    result = mkdocs_build(REPO / "mkdocs.yml", out, cache=plot_cache)
    assert result.returncode == 0, result.stderr
    return out


# -- browser tests: skipped on a machine without them, never where they are required ------------
REQUIRE_BROWSER = "EMERGENCE_ATLAS_REQUIRE_BROWSER"


def browser_required(environ: Mapping[str, str] | None = None) -> bool:
    """True where the browser tests must run (CI sets EMERGENCE_ATLAS_REQUIRE_BROWSER=1)."""
    return (os.environ if environ is None else environ).get(REQUIRE_BROWSER) == "1"


def missing_browser_parts(find_spec: Callable[[str], object] = importlib.util.find_spec,
                          which: Callable[[str], str | None] = shutil.which) -> list[str]:
    """What the browser tests need and this machine lacks: Playwright, Debian's chromium."""
    missing = []
    if find_spec("playwright") is None:
        missing.append("Playwright (pip install -e '.[test]')")
    candidates = (os.environ.get("CHROMIUM"), which("chromium"), "/usr/bin/chromium")
    if not any(c and Path(c).exists() for c in candidates):
        missing.append("Chromium (apt-get install chromium)")
    return missing


def pytest_runtest_setup(item):
    if item.get_closest_marker("browser") is not None and browser_required():
        missing = missing_browser_parts()
        if missing:
            pytest.fail(f"{REQUIRE_BROWSER}=1 but the browser tests lack {' and '.join(missing)}", pytrace=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and item.get_closest_marker("browser") is not None and browser_required():
        report.outcome = "failed"
        report.longrepr = f"{REQUIRE_BROWSER}=1 but a browser test was skipped: {report.longrepr}"


#: Fixtures that build a whole site; a test that uses one is marked ``slow`` (``make test-fast`` leaves it out).
SITE_BUILDING_FIXTURES = {"built_site", "generated_pages", "hostile_site"}


# -- parallel runs (pytest -n auto --dist loadfile): one worker per file, the site files together --
#: Test files that share the session's built site: one parallel worker runs them all, so the site
#: is built once.
SITE_FILES = ("tests/test_site.py", "tests/test_browser.py")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile``, except that the files of ``SITE_FILES`` form one unit of work.

    Each file's module fixtures (a built wheel, a loaded catalog) are then built by one
    worker only. (pytest-xdist's own ``loadgroup`` marks do not take effect under pytest 9.)
    """
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SiteTogether(LoadFileScheduling):
        def _split_scope(self, nodeid):
            path = nodeid.split("::", 1)[0]
            return "site" if path in SITE_FILES else path

    return SiteTogether(config, log)


def pytest_collection_modifyitems(config, items):
    """Mark ``slow`` every test that uses a fixture that builds a whole site."""
    for item in items:
        if SITE_BUILDING_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
