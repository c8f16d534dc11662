"""Benchmark: from saving an entry to its rebuilt page under `mkdocs serve`, against plain Material.

Starts `mkdocs serve` on a free port for the real site (on a copy of the catalog)
and, separately, for a plain Material site with the same pages and nav (see
site_build.py). Once the first build is served, it edits one entry (plain: the
Markdown page standing in for it), then polls that page over HTTP until the edit
shows, and prints the latency; then a second edit the same way. Writes the table to
benchmarks/results/serve.md. Prints figures; asserts nothing.

With ``--warm``, the real site's cache folder is filled by an earlier ``serve``
(started, first page served, stopped), so ``serve`` starts on a warm cache, as it
does for a contributor who previewed before (on the same address: ``serve`` builds
for its own address, which is part of the cache key, so a ``mkdocs build`` does not fill
the same cache entry); its results go to
benchmarks/results/serve-warm.md.

With ``--zensical``, the same under Zensical, which runs no plugins: for the real site,
``emergence-atlas docs --watch`` keeps the assembled docs folder current and
``zensical serve`` previews that folder; the plain site is served by ``zensical
serve`` directly. Results go to benchmarks/results/serve-zensical.md.

    python benchmarks/serve.py [--edits 2] [--runs 1] [--timeout 300] [--warm | --zensical]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from site_build import edit_one_entry, plain_site, real_config  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # a local server we started
            return str(response.read().decode("utf-8", "replace"))
    except (urllib.error.URLError, OSError):
        return None


def wait_for(url: str, text: str, timeout: float) -> float:
    """Seconds until the page at ``url`` contains ``text`` (polled every 20 ms)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        page = fetch(url)
        if page is not None and text in page:
            return time.perf_counter() - start
        time.sleep(0.02)
    raise SystemExit(f"{url}: {text!r} did not show within {timeout:.0f} s")


ZENSICAL = Path(sys.executable).with_name("zensical")


class Server:
    """``mkdocs serve`` (or ``zensical serve``) of one config on a free port, in its own process group."""

    def __init__(self, config: Path, env: dict[str, str], log: Path, port: int | None = None, engine: str = "mkdocs"):
        self.port = port or free_port()
        self.log = log.open("w")
        address = f"127.0.0.1:{self.port}"
        command = ([str(ZENSICAL), "serve", "-f", str(config), "-a", address] if engine == "zensical" else
                   [sys.executable, "-m", "mkdocs", "serve", "-q", "-f", str(config), "-a", address])
        self.process = subprocess.Popen(
            command, cwd=REPO, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}, stdout=self.log,
            stderr=subprocess.STDOUT, start_new_session=True)

    def url(self, path: str) -> str:
        # the real config's site_url has a path; mkdocs serve serves under it
        return f"http://127.0.0.1:{self.port}/emergence-atlas/{path}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def session(name: str, config: Path, page: str, edit: Callable[[str], None], edits: int, timeout: float, tmp: Path,
            env: dict[str, str], port: int | None = None, engine: str = "mkdocs") -> list[float]:
    server = Server(config, env, tmp / f"{name}.log", port, engine)
    try:
        start = time.perf_counter()
        wait_for(server.url(page), "</html>", timeout)
        print(f"{name}: first build served after {time.perf_counter() - start:.1f} s", flush=True)
        times = []
        for i in range(edits):
            marker = f"serve-edit-{i}-{time.time_ns()}"
            time.sleep(1.0)  # let the watcher settle after the previous build
            edit(marker)
            times.append(wait_for(server.url(page), marker, timeout))
            print(f"{name}: edit {i + 1} shown after {times[-1]:.2f} s", flush=True)
        return times
    finally:
        server.stop()


class DocsWatcher:
    """``emergence-atlas docs OUT --watch`` for one config, started and waited for until it watches."""

    def __init__(self, config: Path, out: Path, env: dict[str, str], log: Path, timeout: float):
        self.log_path = log
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "emergence_atlas", "docs", str(out), "--config", str(config), "--watch"],
            cwd=REPO, env={**os.environ, **env}, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        start = time.perf_counter()
        while "(Ctrl-C to stop)" not in log.read_text(encoding="utf-8"):
            if self.process.poll() is not None or time.perf_counter() - start > timeout:
                raise SystemExit(f"emergence-atlas docs --watch did not start:\n{log.read_text(encoding='utf-8')}")
            time.sleep(0.05)
        print(f"docs --watch: first assembly after {time.perf_counter() - start:.1f} s", flush=True)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def zensical_sessions(tmp: Path, edits: int, timeout: float) -> tuple[list[float], list[float]]:
    """Save-to-page seconds under ``zensical serve``: the real site (through docs --watch) and plain Material."""
    root = tmp / "real" / "catalog"
    shutil.copytree(REPO / "catalog", root)
    config = real_config(tmp / "real", root)
    probe = edit_one_entry(root, "(benchmark copy)")
    entry_page = f"abilities/{probe.stem}/"
    out = tmp / "real" / "build" / "docs"
    env = {"EMERGENCE_ATLAS_CACHE": str(tmp / "cache")}
    watcher = DocsWatcher(config, out, env, tmp / "docs-watch.log", timeout)
    try:
        real = session("real site (Zensical)", out.with_name("docs.yml"), entry_page,
                       lambda marker: edit_one_entry(root, marker), edits, timeout, tmp, env, engine="zensical")
    finally:
        watcher.stop()
    plain_config, _ = plain_site(tmp / "plain", root)
    plain_docs = tmp / "plain" / "docs"
    plain_page = plain_docs / "abilities" / f"{probe.stem}.md"
    # Zensical 0.0.73 stops on an absolute docs_dir (a panic); the same folder, relative to the config
    text = plain_config.read_text(encoding="utf-8").replace(f"docs_dir: {plain_docs}", "docs_dir: docs")
    plain_config = plain_config.with_name("zensical.yml")
    plain_config.write_text(text, encoding="utf-8")

    def edit_plain(marker: str) -> None:
        with plain_page.open("a", encoding="utf-8") as handle:
            handle.write(f"\n{marker}\n")

    plain = session("plain (Zensical)", plain_config, entry_page, edit_plain, edits, timeout, tmp, {}, engine="zensical")
    return real, plain


def mkdocs_sessions(tmp: Path, edits: int, timeout: float, warm: bool) -> tuple[list[float], list[float]]:
    """Save-to-page seconds under ``mkdocs serve``: the real site and plain Material."""
    root = tmp / "real" / "catalog"
    shutil.copytree(REPO / "catalog", root)
    config = real_config(tmp / "real", root)  # the plugin makes serve watch the catalog

    def edit_entry(marker: str) -> None:
        edit_one_entry(root, marker)

    # which page the edit lands on: the first entry with a one-line description
    probe = edit_one_entry(root, "(benchmark copy)")
    entry_page = f"abilities/{probe.stem}/"
    env = {"EMERGENCE_ATLAS_CACHE": str(tmp / "cache")}
    port = free_port()  # the same address twice: serve builds for its own address, which is in the cache key
    if warm:
        session("real site (filling the cache)", config, entry_page, edit_entry, 0, timeout, tmp, env, port)
    real = session("real site", config, entry_page, edit_entry, edits, timeout, tmp, env, port)

    plain_config, _ = plain_site(tmp / "plain", root)
    plain_page = tmp / "plain" / "docs" / "abilities" / f"{probe.stem}.md"

    def edit_plain(marker: str) -> None:
        with plain_page.open("a", encoding="utf-8") as handle:
            handle.write(f"\n{marker}\n")

    plain = session("plain Material", plain_config, entry_page, edit_plain, edits, timeout, tmp, {})
    return real, plain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=2)
    parser.add_argument("--runs", type=int, default=1, help="repeat the whole measurement (fresh servers each time)")
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--warm", action="store_true", help="start serve on a cache filled by one build")
    parser.add_argument("--zensical", action="store_true", help="zensical serve (with emergence-atlas docs --watch)")
    args = parser.parse_args()
    runs: list[tuple[list[float], list[float]]] = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp_name:
            if args.zensical:
                runs.append(zensical_sessions(Path(tmp_name), args.edits, args.timeout))
            else:
                runs.append(mkdocs_sessions(Path(tmp_name), args.edits, args.timeout, args.warm))
    flags = f"--edits {args.edits}" + (f" --runs {args.runs}" if args.runs > 1 else "")
    if args.zensical:
        write_table(runs, args.out or HERE / "results" / "serve-zensical.md",
                    f"python benchmarks/serve.py {flags} --zensical", "plain site (Zensical) s",
                    "Under Zensical: the real site previewed by `zensical serve` from the folder that "
                    "`emergence-atlas docs --watch` keeps current, against a plain site served by `zensical serve`.")
    else:
        write_table(runs, args.out or HERE / "results" / ("serve-warm.md" if args.warm else "serve.md"),
                    f"python benchmarks/serve.py {flags}{' --warm' if args.warm else ''}", "plain Material s")


def write_table(runs: list[tuple[list[float], list[float]]], out: Path, command: str, plain_column: str,
                note: str = "") -> None:
    many = len(runs) > 1
    lines = [("| run " if many else "") + f"| edit | real site s | {plain_column} | difference s |",
             ("| ---: " if many else "") + "| ---: | ---: | ---: | ---: |"]
    differences = []
    for n, (real, plain) in enumerate(runs, start=1):
        for i, (r, p) in enumerate(zip(real, plain, strict=True), start=1):
            lines.append((f"| {n} " if many else "") + f"| {i} | {r:.2f} | {p:.2f} | {r - p:+.2f} |")
            differences.append(r - p)
    lines.append("")
    within = sum(1 for d in differences if d <= 1.0)
    lines.append(f"Goal: a one-entry edit shown within 1 s of plain Material's own rebuild: {within} of "
                 f"{len(differences)} edits here (largest difference {max(differences):+.2f} s).")
    text = "\n".join(lines) + "\n"
    print(text)
    stamp = time.strftime("%Y-%m-%d", time.gmtime())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(f"Measured on {stamp} with `{command}` on a shared 2-core machine: seconds from saving the file "
                   f"to the page showing the edit over HTTP.{(' ' + note) if note else ''}\n\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
