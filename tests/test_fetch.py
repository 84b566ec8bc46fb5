"""The network seam against a local server: politeness, limits and errors, with no real waiting."""

from __future__ import annotations

import time

import pytest

from local_server import Reply
from tracker.errors import InputError
from tracker.sources.fetch import (FetchCache, FetchError, FetchOptions, Fetcher, FetchStopped, FetchTimeout, RobotsRecord,
                           Validators)


class FakeTime:
    """A clock that moves only when slept on."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def fetcher(fake: FakeTime | None = None, **options) -> Fetcher:
    fake = fake or FakeTime()
    return Fetcher(FetchOptions(**{"delay": 0, **options}), clock=fake.clock, sleep=fake.sleep, now=time.time)


def test_user_agent_is_sent_and_settable(news_site):
    with fetcher(user_agent="deployment-desk/2.0 (desk@example.org)") as client:
        client.get(news_site.url("/feed.xml"))
    assert {r.headers["user-agent"] for r in news_site.log} == {"deployment-desk/2.0 (desk@example.org)"}
    with pytest.raises(ValueError, match="user_agent"):
        FetchOptions(user_agent=" ")


def test_requests_to_one_host_are_spaced_by_the_delay(news_site):
    fake = FakeTime()
    with fetcher(fake, delay=2.5) as client:
        client.get(news_site.url("/feed.xml"))
        client.get(news_site.url("/atom.xml"))
    # robots.txt, then the feed 2.5 s later, then the other feed 2.5 s after that
    assert fake.sleeps == [2.5, 2.5]
    assert client.requests == 3


def test_503_then_200_waits_as_retry_after_says(news_site):
    fake = FakeTime()
    with fetcher(fake) as client:
        response = client.get(news_site.url("/busy.xml"))
    assert response.status == 200 and b"<rss" in response.content
    assert fake.sleeps == [1.0]
    assert news_site.requests_to("/busy.xml") == 2


def test_retries_back_off_and_are_bounded(news_site):
    news_site.routes["/down.xml"] = Reply(503, b"down")
    fake = FakeTime()
    with fetcher(fake, retries=3, backoff=2) as client, pytest.raises(FetchError, match="HTTP 503"):
        client.get(news_site.url("/down.xml"))
    assert fake.sleeps == [2, 4, 8]
    assert news_site.requests_to("/down.xml") == 4


def test_a_retry_after_beyond_the_bound_is_not_waited_for(news_site):
    news_site.routes["/limited.xml"] = Reply(429, b"slow down", headers={"Retry-After": "86400"})
    fake = FakeTime()
    with fetcher(fake, max_retry_after=60) as client, pytest.raises(FetchError, match="retry after more than 60"):
        client.get(news_site.url("/limited.xml"))
    assert fake.sleeps == []


@pytest.mark.parametrize("path, message", [
    ("/missing.xml", "HTTP 404"),
    ("/loop-a", "redirect loop"),
    ("/to-ftp", "only http:// and https://"),
    ("/private/secret.html", "robots.txt of 127.0.0.1"),
])
def test_failures_are_one_fetch_error_naming_the_url(news_site, path, message):
    url = news_site.url(path)
    with fetcher() as client, pytest.raises(FetchError, match=message) as caught:
        client.get(url)
    assert str(caught.value).startswith(url)
    assert isinstance(caught.value, InputError) and "\n" not in str(caught.value)


def test_redirects_are_followed_to_a_limit(news_site):
    with fetcher() as client:
        response = client.get(news_site.url("/moved.xml"))
    assert response.final_url == news_site.url("/feed.xml") and response.url == news_site.url("/moved.xml")
    with fetcher(max_redirects=0) as client, pytest.raises(FetchError, match="more than 0 redirects"):
        client.get(news_site.url("/moved.xml"))


@pytest.mark.parametrize("url, message", [
    ("file:///etc/passwd", "only http"), ("ftp://127.0.0.1/feed.xml", "only http"), ("javascript:alert(1)", "only http"),
    ("http://[::1/feed.xml", "not a valid URL"), ("http://127.0.0.1:port/feed.xml", "not a valid URL"),
    ("http:///feed.xml", "no host"),
])
def test_only_valid_http_and_https_urls_are_fetched(url, message):
    with fetcher() as client, pytest.raises(FetchError, match=message):
        client.get(url)


def test_an_unreachable_host_is_a_fetch_error():
    with fetcher() as client, pytest.raises(FetchError, match="cannot be reached"):
        client.get("http://127.0.0.1:9/feed.xml")


def test_a_slow_server_times_out(news_site):
    def slow(request):
        time.sleep(1.0)
        return Reply(200, b"late")
    news_site.routes["/slow"] = slow
    with fetcher(timeout=0.2) as client, pytest.raises(FetchTimeout, match="no complete response within 0.2 s"):
        client.get(news_site.url("/slow"))


def test_an_enormous_page_is_cut_at_the_cap(news_site):
    cap = 256 * 1024
    with fetcher(max_bytes=cap) as client:
        response = client.get(news_site.url("/huge.html"))
    assert response.truncated and len(response.content) == cap
    assert response.content.startswith(b"<html><body><article>")


def test_robots_txt_is_read_once_per_host(news_site):
    with fetcher() as client:
        client.get(news_site.url("/feed.xml"))
        client.get(news_site.url("/atom.xml"))
        with pytest.raises(FetchError):
            client.get(news_site.url("/private/secret.html"))
    assert news_site.requests_to("/robots.txt") == 1
    assert news_site.requests_to("/private/secret.html") == 0


def test_an_unchanged_feed_answered_304_costs_one_request(news_site):
    with fetcher() as client:
        first = client.get(news_site.url("/feed.xml"), conditional=True)
        assert first.status == 200 and first.validators == Validators('"feed-v1"', "Mon, 30 Nov 2026 09:00:00 GMT")
        client.remember(first)
        before = client.requests
        again = client.get(news_site.url("/feed.xml"), conditional=True)
    assert again.not_modified and again.content == b""
    assert client.requests - before == 1
    assert news_site.log[-1].headers["if-none-match"] == '"feed-v1"'


def test_validators_are_not_kept_until_remembered(news_site):
    with fetcher() as client:
        client.get(news_site.url("/feed.xml"), conditional=True)
        assert not client.get(news_site.url("/feed.xml"), conditional=True).not_modified


def test_the_validator_cache_is_bounded_and_saved_atomically(tmp_path):
    cache = FetchCache(max_entries=2)
    for name in ("a", "b", "c"):
        cache.remember(f"http://example.invalid/{name}", Validators(etag=f'"{name}"'))
    assert len(cache) == 2 and cache.get("http://example.invalid/a") is None
    path = tmp_path / "state" / "http-cache.json"
    cache.save(path)
    loaded = FetchCache.load(path, max_entries=2)
    assert loaded.get("http://example.invalid/c") == Validators(etag='"c"')
    assert [p.name for p in path.parent.iterdir()] == ["http-cache.json"]
    path.write_text("{not json", encoding="utf-8")
    assert len(FetchCache.load(path)) == 0


def test_robots_rules_are_saved_and_expire_after_a_day(news_site, tmp_path):
    path = tmp_path / "http-cache.json"
    with fetcher() as client:
        client.get(news_site.url("/feed.xml"))
    client.cache.save(path)
    cache = FetchCache.load(path)
    record = cache.robots_for(news_site.url(""))
    assert record.verdict == "rules" and "Disallow: /private/" in record.text
    with Fetcher(FetchOptions(delay=0), cache=cache) as again:
        with pytest.raises(FetchError, match="disallows"):
            again.get(news_site.url("/private/secret.html"))
    assert news_site.requests_to("/robots.txt") == 1
    later = time.time() + 2 * 86400
    with Fetcher(FetchOptions(delay=0), cache=cache, now=lambda: later) as much_later:
        much_later.get(news_site.url("/feed.xml"))
    assert news_site.requests_to("/robots.txt") == 2


@pytest.mark.parametrize("status, verdict", [(404, "allow"), (401, "allow"), (500, "disallow")])
def test_robots_txt_answers_follow_rfc_9309(news_site, status, verdict):
    news_site.routes["/robots.txt"] = Reply(status, b"")
    with fetcher() as client:
        if verdict == "allow":
            assert client.get(news_site.url("/private/secret.html")).status == 200
        else:
            with pytest.raises(FetchError, match="server error"):
                client.get(news_site.url("/feed.xml"))
    assert client.cache.robots_for(news_site.url("")).verdict == verdict
    assert RobotsRecord(verdict).parser().can_fetch("tracker", "/x") == (verdict == "allow")


# ---------------------------------------------------------------- hostile hosts (issue 24), real time


def real_fetcher(**options) -> Fetcher:
    return Fetcher(FetchOptions(**{"delay": 0, "timeout": 1.0, **options}))


def test_a_trickling_page_is_cut_at_the_timeout_not_per_read(hostile_site):
    started = time.monotonic()
    with real_fetcher() as client, pytest.raises(FetchTimeout, match="no complete response within 1 s"):
        client.get(hostile_site.url("/news/trickle"))  # a few bytes every 0.5 s: no read ever waits 1 s
    assert time.monotonic() - started < 2.5


def test_headers_sent_a_byte_at_a_time_are_cut_at_the_timeout():
    import socket
    import threading

    def dribble(listener: socket.socket) -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100:
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    return
                time.sleep(0.1)

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        threading.Thread(target=dribble, args=(listener,), daemon=True).start()
        started = time.monotonic()
        with real_fetcher(respect_robots=False) as client, pytest.raises(FetchTimeout):
            client.get(f"http://127.0.0.1:{listener.getsockname()[1]}/feed.xml")
    assert time.monotonic() - started < 2.5


def test_a_host_that_accepts_and_never_answers_is_cut_at_the_timeout():
    from hostile_site import silent_host

    started = time.monotonic()
    with silent_host() as base, real_fetcher() as client, pytest.raises(FetchTimeout) as caught:
        client.get(f"{base}/feed.xml")
    assert time.monotonic() - started < 2.5
    assert str(caught.value).startswith(f"{base}/feed.xml: ") and "\n" not in str(caught.value)


def test_a_gzip_bomb_is_cut_at_the_cap_without_inflating_it(hostile_site):
    import tracemalloc

    cap = 1024 * 1024
    tracemalloc.start()
    try:
        with real_fetcher(max_bytes=cap) as client:
            response = client.get(hostile_site.url("/news/bomb"))  # 64 MB of zeros in 64 KB of gzip
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.truncated and response.content == b"\0" * cap
    assert peak < 8 * cap  # httpx alone inflates a whole network read at once: about 64 MB here


@pytest.mark.parametrize("encoding, message", [("gzip, gzip", "compressed more than once"),
                                               ("br", "was not asked for")])
def test_a_body_in_layers_or_an_unasked_coding_is_refused(hostile_site, encoding, message):
    from hostile_site import gzip_bomb

    hostile_site.routes["/layers"] = Reply(200, gzip_bomb(1024), "text/html", {"Content-Encoding": encoding})
    with real_fetcher() as client, pytest.raises(FetchError, match=message):
        client.get(hostile_site.url("/layers"))
    assert hostile_site.log[-1].headers["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize("encoding, window_bits", [("gzip", 31), ("deflate", 15), ("deflate", -15)])
def test_compressed_pages_are_read(news_site, encoding, window_bits):
    import zlib

    packer = zlib.compressobj(6, zlib.DEFLATED, window_bits)  # -15: raw deflate, as some servers send it
    news_site.routes["/packed"] = Reply(200, packer.compress(b"<p>Tanks</p>" * 1000) + packer.flush(),
                                        headers={"Content-Encoding": encoding})
    with real_fetcher() as client:
        response = client.get(news_site.url("/packed"))
    assert response.content == b"<p>Tanks</p>" * 1000 and not response.truncated


def test_a_redirect_to_another_scheme_is_refused(hostile_site):
    with real_fetcher() as client, pytest.raises(FetchError, match="redirected to file:///etc/passwd"):
        client.get(hostile_site.url("/news/elsewhere"))
    assert hostile_site.requests_to("/news/elsewhere") == 1


def test_a_callers_deadline_cuts_a_request_and_sends_none_after_it(hostile_site):
    with real_fetcher(timeout=10) as client:
        started = time.monotonic()
        with pytest.raises(FetchStopped, match="cut at the deadline"):
            client.get(hostile_site.url("/news/trickle"), by=client.clock() + 0.5)
        assert time.monotonic() - started < 1.5
        sent = len(hostile_site.log)
        with pytest.raises(FetchStopped, match="not fetched"):
            client.get(hostile_site.url("/hostile.xml"), by=client.clock() - 1)
    assert len(hostile_site.log) == sent


def test_a_robots_txt_bomb_is_refused_without_inflating_it(hostile_site):
    from hostile_site import gzip_bomb

    hostile_site.routes["/robots.txt"] = Reply(200, gzip_bomb(64 * 1024 * 1024), "text/plain",
                                               {"Content-Encoding": "gzip"})
    with real_fetcher() as client:  # cut at 512 KB of zeros: no rules, so the feed may be read
        assert client.get(hostile_site.url("/hostile.xml")).status == 200
    hostile_site.routes["/robots.txt"] = Reply(200, gzip_bomb(1024), "text/plain", {"Content-Encoding": "gzip, gzip"})
    with real_fetcher() as client, pytest.raises(FetchError, match="compressed more than once"):
        client.get(hostile_site.url("/hostile.xml"))


def test_the_deadline_holds_over_https(hostile_site, tmp_path, monkeypatch):
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate for 127.0.0.1")
    key, certificate = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(certificate), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    hostile_site.httpd.socket = context.wrap_socket(hostile_site.httpd.socket, server_side=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))  # trusted by the fetcher's client, as a real CA
    base = f"https://127.0.0.1:{hostile_site.port}"
    with real_fetcher() as client:
        assert b"helicopters" in client.get(f"{base}/news/helicopters").content
        started = time.monotonic()
        with pytest.raises(FetchTimeout):
            client.get(f"{base}/news/trickle")
    assert time.monotonic() - started < 2.5
