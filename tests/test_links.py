"""Links: form checks of url/doi/eprint (lint, offline) and `check-links` against a local server only.

Nothing here goes to the internet: the link check runs against an http.server on
127.0.0.1, and a guard fails any test that tries to connect anywhere else.
"""

from __future__ import annotations

import http.server
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from emergence_atlas.bibliography import parse_bibliography
from emergence_atlas.cli import main
from emergence_atlas.linkcheck import Link, check_url, dead_links
from emergence_atlas.links import arxiv_problem, doi_problem, url_problem

from .conftest import FIXTURES, run_lint


# -- form checks ----------------------------------------------------------------------
@pytest.mark.parametrize("url", [
    "https://arxiv.org/abs/2201.11903", "http://jmlr.org/papers/v21/20-074.html",
    "https://openreview.net/forum?id=yzkSU5zdwD", "https://example.org:8443/a%20b#frag", "HTTPS://EXAMPLE.ORG",
])
def test_well_formed_urls(url):
    assert url_problem(url) is None


@pytest.mark.parametrize(("url", "reason"), [
    ("ftp://example.org/x", "is not an http(s) URL"),
    ("javascript:alert(1)", "is not an http(s) URL"),
    ("file:///etc/passwd", "is not an http(s) URL"),
    ("example.org/paper", "is not an http(s) URL"),
    ("https://", "has no host name"),
    ("https:///path", "has no host name"),
    ("https://example.org:99999/", "cannot be parsed as a URL"),
    ("http://[::1/", "cannot be parsed as a URL"),
    ("https://exa mple.org/", "contains a space, a control character or a character URLs must escape"),
    ("https://example.org/\x00", "contains a space, a control character or a character URLs must escape"),
    ("", "is not an http(s) URL"),
])
def test_malformed_urls(url, reason):
    assert url_problem(url) == reason


def test_doi_forms():
    assert doi_problem("10.18653/v1/2022.acl-long.229") is None
    assert doi_problem("10.1145/3531146.3533229") is None
    assert doi_problem("https://doi.org/10.1145/3531146.3533229") == "is a DOI link; write the bare DOI (10.NNNN/suffix)"
    assert doi_problem("doi:10.1145/1") == "is a DOI link; write the bare DOI (10.NNNN/suffix)"
    for bad in ("10.1145", "11.1145/x", "10.12/x", "10.1145/ x", "bad"):
        assert doi_problem(bad) == "is not a DOI (10.NNNN/suffix)", bad


def test_arxiv_forms():
    for good in ("2201.11903", "2201.11903v2", "0704.0001", "hep-th/9901001", "math.GT/0309136v1", "cs/0112017"):
        assert arxiv_problem(good) is None, good
    assert arxiv_problem("https://arxiv.org/abs/2201.11903") == "is an arXiv link; write the bare id (e.g. 2201.11903)"
    assert arxiv_problem("arXiv:2201.11903") == "is an arXiv link; write the bare id (e.g. 2201.11903)"
    for bad in ("2213.00001", "2201.123", "2201.123456", "22011.1903", "hep-th/99010", "x"):
        assert arxiv_problem(bad) == "is not an arXiv id (e.g. 2201.11903 or hep-th/9901001)", bad


def test_eprint_of_another_archive_is_not_checked_as_arxiv():
    text = ("@misc{a, title = {T}, author = {A, B}, year = {2020},\n"
            "  eprint = {PMC123456}, archivePrefix = {PubMed}}\n"
            "@misc{b, title = {T}, author = {A, B}, year = {2020},\n"
            "  eprint = {PMC123456}, archivePrefix = {arXiv}}\n")
    _, diags = parse_bibliography(text, Path("refs.bib"))
    assert [d.format() for d in diags] == [
        "refs.bib:4:3: E307 misc 'b': eprint 'PMC123456' is not an arXiv id (e.g. 2201.11903 or hep-th/9901001)"]


def test_real_bibliography_links_are_well_formed():
    from emergence_atlas.bibliography import load_bibliography

    from .conftest import REPO

    references, diags = load_bibliography(REPO / "catalog" / "references.bib")
    assert len(references) >= 10
    assert [d.format() for d in diags if d.code == "E307"] == []


def test_malformed_url_in_catalog_yaml(make_catalog):
    curve = (FIXTURES / "valid" / "curves" / "counting.yaml").read_text(encoding="utf-8")
    curve = curve.replace("    points:\n", "    data: {file: x.csv, license: MIT, url: 'javascript:alert(1)'}\n    points:\n")
    root = make_catalog({"curves/counting.yaml": curve.encode()})
    assert run_lint(root) == [
        "catalog/curves/counting.yaml:9:44: E210 series[0].data.url: 'javascript:alert(1)' is not an http(s) URL"]


# -- the life check, against a local server ----------------------------------------------
class _Handler(http.server.BaseHTTPRequestHandler):
    def _answer(self, body: bool) -> None:
        path = self.path
        if path == "/slow":
            time.sleep(1.5)
        if path == "/head-refused" and self.command == "HEAD":
            self.send_response(405)
        elif path in ("/ok", "/head-refused", "/slow"):
            self.send_response(200)
        elif path == "/redirect":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif path == "/redirect-to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
        else:
            self.send_response(404)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")
        self.server.requests.append((self.command, path))  # type: ignore[attr-defined]

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server(monkeypatch):
    """A local http.server; any connection to another host fails the test."""
    real = socket.create_connection

    def local_only(address, *args, **kwargs):
        assert address[0] in ("127.0.0.1", "localhost"), f"test tried to reach {address}"
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", local_only)
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield httpd, f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_check_url_statuses(server):
    httpd, base = server
    assert check_url(f"{base}/ok", 5) == (True, "200")
    assert check_url(f"{base}/missing", 5) == (False, "404")
    assert check_url(f"{base}/head-refused", 5) == (True, "200")
    assert check_url(f"{base}/redirect", 5) == (True, "200")
    assert check_url(f"{base}/redirect-to-file", 5) == (False, "302")
    assert check_url(f"{base}/slow", 0.3) == (False, "timeout")
    assert check_url("file:///etc/passwd", 5) == (False, "malformed")
    assert ("HEAD", "/head-refused") in httpd.requests and ("GET", "/head-refused") in httpd.requests
    assert ("GET", "/ok") not in httpd.requests and ("GET", "/redirect") not in httpd.requests  # HEAD was enough


def test_check_url_connection_refused():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before the request: nothing listens there
    assert check_url(f"http://127.0.0.1:{port}/", 2) == (False, "error")


def test_dead_links_requests_each_url_once_with_bounded_concurrency():
    calls: list[str] = []
    running = [0, 0]  # now, most at once
    lock = threading.Lock()

    def fake(url: str, timeout: float) -> tuple[bool, str]:
        with lock:
            calls.append(url)
            running[0] += 1
            running[1] = max(running[1], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return (not url.endswith("dead"), "404" if url.endswith("dead") else "200")

    found = [Link("a.bib", i, 3, f"http://h/{i % 5}{'dead' if i % 5 == 0 else ''}") for i in range(20)]
    dead = dead_links(found, timeout=1, workers=2, check=fake)
    assert sorted(calls) == sorted({link.url for link in found}) and len(calls) == 5
    assert 1 <= running[1] <= 2
    assert [(link.line, status) for link, status in dead] == [(0, "404"), (5, "404"), (10, "404"), (15, "404")]


def _local_catalog(make_catalog, base: str) -> Path:
    """The valid fixture catalog with every link pointing at the local server (four URLs, one dead each kind)."""
    root = make_catalog()
    bib = (root / "references.bib").read_text(encoding="utf-8")
    bib = bib.replace("https://example.org/tiny", f"{base}/ok").replace(
        "eprint    = {2201.00001}", f"url       = {{{base}/missing}}")
    bib += (f"\n@misc{{extra2024links,\n  title = {{More Links}},\n  author = {{Lee, Li}},\n  year = {{2024}},\n"
            f"  url = {{{base}/head-refused}}\n}}\n")
    (root / "references.bib").write_text(bib, encoding="utf-8")
    curve = root / "curves" / "counting.yaml"
    curve.write_text(curve.read_text(encoding="utf-8").replace(
        "    points:\n", f"    data: {{file: x.csv, license: MIT, url: '{base}/gone'}}\n    points:\n"), encoding="utf-8")
    return root


def test_check_links_reports_dead_links_and_exits_1(make_catalog, server):
    httpd, base = server
    root = _local_catalog(make_catalog, base)
    result = CliRunner().invoke(main, ["check-links", "--root", str(root), "--timeout", "5"])
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        f"catalog/references.bib:14:3: LINK 404 {base}/missing",
        f"catalog/curves/counting.yaml:9:44: LINK 404 {base}/gone",
    ]
    assert result.stderr.splitlines() == ["2 dead of 4 links (4 distinct URLs)"]
    assert sorted({path for _, path in httpd.requests}) == ["/gone", "/head-refused", "/missing", "/ok"]


def test_check_links_clean_catalog_exits_0(make_catalog, server):
    _, base = server
    root = _local_catalog(make_catalog, base)
    text = (root / "references.bib").read_text(encoding="utf-8").replace("/missing", "/ok")
    (root / "references.bib").write_text(text, encoding="utf-8")
    shutil.rmtree(root / "curves")
    result = CliRunner().invoke(main, ["check-links", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["0 dead of 3 links (2 distinct URLs)"]


def test_check_links_on_a_broken_catalog_prints_diagnostics(make_catalog, server):
    root = make_catalog({"abilities/x.yaml": "E101-malformed.yaml"})
    result = CliRunner().invoke(main, ["check-links", "--root", str(root)])
    assert result.exit_code == 1
    assert "E101" in result.stderr and "LINK" not in result.output


def test_collect_links_turns_doi_and_eprint_into_urls_at_their_lines(make_catalog):
    from emergence_atlas.build import build_catalog
    from emergence_atlas.linkcheck import collect_links

    root = make_catalog()
    bib = root / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace(
        "  url     = {https://example.org/tiny}", "  doi     = {10.1234/a(b)#c},\n  url     = {https://example.org/tiny}"),
        encoding="utf-8")
    catalog, diags, _ = build_catalog(root)
    assert catalog is not None, diags
    assert [(link.path, link.line, link.col, link.url) for link in collect_links(catalog)] == [
        ("catalog/references.bib", 6, 3, "https://doi.org/10.1234/a(b)%23c"),
        ("catalog/references.bib", 7, 3, "https://example.org/tiny"),
        ("catalog/references.bib", 15, 3, "https://arxiv.org/abs/2201.00001"),
    ]
