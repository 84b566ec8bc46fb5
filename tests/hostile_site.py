"""A hostile news site for the fetching tests and ``benchmarks/hostile_feed.py``: one feed whose four
items are a page that trickles a few bytes every half second, a gzip bomb, a redirect to
``file:///etc/passwd`` and a good article; an entity-bomb feed ("billion laughs"); and a host that
accepts connections and never answers. The sizes and times are parameters: the tests use small ones,
the benchmark the issue's (2 GiB from 2 MB, minutes of trickle). The news items are our own."""

from __future__ import annotations

import socket
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape

from local_server import LocalServer, Reply

HELICOPTERS = [
    "Four Russian attack helicopters and two transport helicopters have arrived at an air base near "
    "Latakia in western Syria, two defence officials said on Thursday.",
    "The helicopters landed at the base over the past two days, the officials said, and were seen "
    "parked beside the runway in satellite images taken on Wednesday.",
    "Neither official would say how long the aircraft would stay. The Russian defence ministry did "
    "not comment.",
]
TRICKLE_SUMMARY = "Talks between the two governments resumed in Geneva on Tuesday, a spokesman said."


def helicopters_page(base: str) -> bytes:
    body = "".join(f"<p>{escape(p)}</p>" for p in HELICOPTERS)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Helicopters arrive in Syria"
            f"</title><link rel='canonical' href='{base}/news/helicopters'></head><body><nav><a href='/'>Home</a>"
            f"</nav><main><article><h1>Russian helicopters arrive in Syria</h1>{body}</article></main>"
            "<footer>Example Defence News</footer></body></html>").encode("utf-8")


def hostile_feed(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Hostile Defence News</title><link>{base}/</link>
  <item><title>Talks resume</title><link>{base}/news/trickle</link>
    <pubDate>Thu, 03 Dec 2026 08:00:00 GMT</pubDate><description>{TRICKLE_SUMMARY}</description></item>
  <item><title>Big story</title><link>{base}/news/bomb</link>
    <pubDate>Thu, 03 Dec 2026 08:10:00 GMT</pubDate></item>
  <item><title>Elsewhere</title><link>{base}/news/elsewhere</link>
    <pubDate>Thu, 03 Dec 2026 08:20:00 GMT</pubDate></item>
  <item><title>Russian helicopters arrive in Syria</title><link>{base}/news/helicopters</link>
    <pubDate>Thu, 03 Dec 2026 08:30:00 GMT</pubDate></item>
</channel></rss>""".encode("utf-8")


def entity_bomb_feed(base: str) -> bytes:
    """"Billion laughs": ten levels of entities, each ten of the one below (a billion "lol"s)."""
    levels = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    return (f'<?xml version="1.0"?><!DOCTYPE rss [{"".join(levels)}]><rss version="2.0"><channel><title>&lol9;'
            f'</title><item><title>&lol9;</title><link>{base}/news/helicopters</link><description>&lol9;'
            '</description></item></channel></rss>').encode("utf-8")


def gzip_bomb(inflated_bytes: int) -> bytes:
    """``inflated_bytes`` of zeros, gzipped (about a thousandth of that), built a slice at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    slice_ = b"\0" * min(inflated_bytes, 64 * 1024 * 1024)
    parts, left = [], inflated_bytes
    while left > 0:
        parts.append(packer.compress(slice_[:left]))
        left -= len(slice_)
    parts.append(packer.flush())
    return b"".join(parts)


def trickle(seconds: float, every: float = 0.5) -> Iterator[bytes]:
    """An HTML page that never ends: a few bytes every ``every`` seconds, for ``seconds`` at most."""
    yield b"<!DOCTYPE html><html><body><article><p>"
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        time.sleep(every)
        yield b"and "


def serve_hostile_site(server: LocalServer, *, bomb_bytes: int = 64 * 1024 * 1024,
                       trickle_seconds: float = 20.0) -> LocalServer:
    """Put the hostile routes on ``server``: ``/hostile.xml`` (the four-item feed) and
    ``/entity-bomb.xml``."""
    base = server.url("")
    bomb = gzip_bomb(bomb_bytes)
    server.routes.update({
        "/hostile.xml": Reply(200, hostile_feed(base), "application/rss+xml"),
        "/entity-bomb.xml": Reply(200, entity_bomb_feed(base), "application/rss+xml"),
        "/news/trickle": lambda request: Reply(200, trickle(trickle_seconds)),
        "/news/bomb": Reply(200, bomb, "text/html", {"Content-Encoding": "gzip"}),
        "/news/elsewhere": Reply(302, b"", None, {"Location": "file:///etc/passwd"}),
        "/news/helicopters": Reply(200, helicopters_page(base)),
    })
    return server


@contextmanager
def silent_host() -> Iterator[str]:
    """The base URL of a host that accepts connections (the kernel completes the handshake) and
    never answers a byte."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
