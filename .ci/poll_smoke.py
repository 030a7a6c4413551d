"""Run the installed `newsbrief poll --once` on a loopback feed; exit non-zero unless it works.

Run it with the Python of a venv where `pip install .` put newsbrief (and nothing
from requirements.lock), from a directory outside the repository, so that what
is tested is the package as pyproject.toml declares it. Only the standard
library is used here; the feed, the article pages and their text are invented.

    .ci/run does:  VENV/bin/python .ci/poll_smoke.py
"""

from __future__ import annotations

import http.server
import subprocess
import sys
import tempfile
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

STORIES = [
    (
        "harbour-reopens",
        "Port authority reopens the north harbour after storm repairs",
        [
            "The north harbour reopened on Monday after six weeks of repairs to its storm wall, "
            "the port authority said in a statement.",
            "“Every berth is open again and the first ships are already unloading,” said "
            "Marta Ibáñez, the director of the port authority, at a news conference.",
            "Shipping companies had diverted cargo to two smaller ports during the works, "
            "adding days to deliveries across the region.",
        ],
    ),
    (
        "library-hours",
        "City council extends library opening hours during exam season",
        [
            "The city council voted on Tuesday to keep its four public libraries open until "
            "midnight for the next two months.",
            "“Students asked us for quiet places to work late, and we listened,” said "
            "councillor Tomás Ferrer after the vote.",
            "The extra hours will cost about 40,000 euros, paid from the culture budget.",
        ],
    ),
]


def page(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title></head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article>"
        "<footer>Smoke Test Gazette</footer></body></html>"
    ).encode()


def feed(base: str) -> bytes:
    now = datetime.now(UTC)
    items = "".join(
        f"<item><title>{title}</title><link>{base}/news/{slug}.html</link><guid>{slug}</guid>"
        f"<pubDate>{format_datetime(now - timedelta(hours=n + 1))}</pubDate>"
        f"<description>{paragraphs[0][:80]}…</description></item>"
        for n, (slug, title, paragraphs) in enumerate(STORIES)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Smoke Test Gazette</title><link>{base}/</link>{items}</channel></rss>"
    ).encode()


def serve() -> tuple[http.server.ThreadingHTTPServer, str]:
    pages: dict[str, tuple[bytes, str]] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the name http.server calls
            body, kind = pages.get(self.path, (b"not here", "text/plain"))
            self.send_response(200 if self.path in pages else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    pages["/rss.xml"] = (feed(base), "application/rss+xml; charset=utf-8")
    for slug, title, paragraphs in STORIES:
        pages[f"/news/{slug}.html"] = (page(title, paragraphs), "text/html; charset=utf-8")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, base


def main() -> int:
    newsbrief = Path(sys.executable).with_name("newsbrief")
    server, base = serve()
    with tempfile.TemporaryDirectory() as work:
        Path(work, "newsbrief.toml").write_text(
            '[database]\nurl = "sqlite:///smoke.db"\n\n'
            "[polling]\nallow_private_hosts = true\n"
            f'\n[[feeds]]\nurl = "{base}/rss.xml"\nname = "Smoke Test Gazette"\n'
        )
        run = subprocess.run(
            [str(newsbrief), "poll", "--once"],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=600,
        )
    server.shutdown()
    print(run.stdout, end="")
    expected = "1 feed polled: 2 new articles"
    ok = run.returncode == 0 and expected in run.stdout and "full text: 2 ok" in run.stdout
    if not ok:
        print(run.stderr[-4000:], file=sys.stderr)
        print(f"poll_smoke: FAILED (exit {run.returncode})", file=sys.stderr)
        return 1
    print("poll_smoke: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
