"""The one network seam: every page, feed and robots.txt the tracker fetches goes through ``Fetcher``.

Polite and bounded by construction: a real, settable User-Agent; at most one request per host
every ``delay`` seconds; one deadline on each response, from connect to last byte (a server that
trickles a few bytes a second holds a request no longer than one that never answers); retries
with exponential back-off on 429 and 503 (``Retry-After`` honoured up to a bound); robots.txt
respected (RFC 9309, cached a day); conditional requests from remembered ETag/Last-Modified
validators (a bounded cache that can be saved beside a store); a size cap per response (the body
is streamed and cut); redirects followed by hand to a limit, each hop checked; http and https only.

Time and sleep are seams (``clock``, ``sleep``, ``now``) so tests need no waiting, and the HTTP
transport is httpx's, so tests can run it against a local server.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from typing import TYPE_CHECKING
from urllib.robotparser import RobotFileParser

from tracker.common.version import __version__
from tracker.errors import InputError

DEFAULT_USER_AGENT = f"tracker/{__version__} (news deployment tracker; set --user-agent to your contact)"
#: Statuses worth another try after a pause: rate limited, temporarily unavailable.
RETRY_STATUSES = frozenset({429, 503})
ROBOTS_MAX_BYTES = 512 * 1024
ROBOTS_TTL_SECONDS = 24 * 3600  # RFC 9309: a cached robots.txt should not be used for more than a day
_CHUNK = 64 * 1024

if TYPE_CHECKING:
    import httpx


class FetchError(InputError):
    """A URL could not be fetched (unreachable, refused, HTTP error, robots.txt) or read as a feed."""

    exit_code = 9


class FetchTimeout(FetchError):
    """No complete response within ``timeout``: a slow, trickling or silent server."""


class FetchStopped(FetchError):
    """Not fetched (or cut) because the run is stopping or the caller's deadline (``by``) has
    passed: no fault of the URL, which is worth reading next time."""


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How politely and how far the fetcher goes; every limit is finite."""

    user_agent: str = DEFAULT_USER_AGENT
    delay: float = 1.0            # seconds between two requests to the same host
    timeout: float = 20.0         # seconds for a whole response, from connect to last byte
    retries: int = 3              # further tries after a 429 or 503
    backoff: float = 2.0          # first pause before a retry, doubled each time
    max_retry_after: float = 300.0  # a Retry-After longer than this is not waited for
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    respect_robots: bool = True
    max_validators: int = 2048
    max_hosts: int = 512          # hosts whose robots.txt and last request time are remembered

    def __post_init__(self) -> None:
        if not self.user_agent.strip():
            raise ValueError("'user_agent' should name the tool and a contact, got an empty string instead")
        for name in ("delay", "timeout", "backoff", "max_retry_after"):
            if getattr(self, name) < 0:
                raise ValueError(f"'{name}' should be 0 or more, got {getattr(self, name)} instead")
        if self.max_bytes < 1 or self.max_redirects < 0 or self.retries < 0:
            raise ValueError("'max_bytes' should be positive and 'max_redirects', 'retries' 0 or more")


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said about a response, to ask next time whether it changed."""

    etag: str | None = None
    last_modified: str | None = None

    def request_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True, slots=True)
class Response:
    """A fetched body (cut at the cap when ``truncated``), or ``not_modified`` with no body."""

    url: str                 # the URL asked for
    final_url: str           # after redirects
    status: int
    content_type: str        # media type only, lower case ("text/html")
    content: bytes = b""
    truncated: bool = False
    not_modified: bool = False
    validators: Validators | None = None
    charset: str | None = None

    def text(self) -> str:
        try:
            return self.content.decode(self.charset or "utf-8", errors="replace")
        except LookupError:  # a charset Python does not know: read it as UTF-8
            return self.content.decode("utf-8", errors="replace")


@dataclass(frozen=True, slots=True)
class RobotsRecord:
    """A host's robots.txt as last fetched: its rules, or a verdict for a host that has none
    ("allow": it answered 4xx) or refused ("disallow": it answered 5xx); ``fetched_at`` is
    wall-clock seconds, so a saved record expires after a day like a fresh one."""

    verdict: str  # "rules", "allow" or "disallow"
    text: str = ""
    fetched_at: float = 0.0

    def parser(self) -> RobotFileParser:
        parser = RobotFileParser()
        if self.verdict == "allow":
            parser.allow_all = True
        elif self.verdict == "disallow":
            parser.disallow_all = True
        else:
            parser.parse(self.text.splitlines())
        return parser


class FetchCache:
    """What the fetcher remembers between polls and runs: ETag/Last-Modified per URL and
    robots.txt per host, each bounded (the least recently used dropped first).

    ``save`` writes JSON atomically (a temporary file beside the target, then a rename), so a
    ``watch`` that is stopped never leaves half a file; ``load`` of a missing or unreadable file
    starts empty (the cost is one full request per feed). Saved, it lets ``watch --once`` from
    cron re-poll an unchanged feed with one request, as a long-running watch does.
    """

    def __init__(self, max_entries: int = 2048, max_hosts: int = 512) -> None:
        self.max_entries = max_entries
        self.max_hosts = max_hosts
        self._entries: OrderedDict[str, Validators] = OrderedDict()
        self._robots: OrderedDict[str, RobotsRecord] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, url: str) -> Validators | None:
        found = self._entries.get(url)
        if found is not None:
            self._entries.move_to_end(url)
        return found

    def remember(self, url: str, validators: Validators | None) -> None:
        if validators is None or not (validators.etag or validators.last_modified):
            return
        _put(self._entries, url, validators, self.max_entries)

    def forget(self, url: str) -> None:
        self._entries.pop(url, None)

    def robots_for(self, host: str) -> RobotsRecord | None:
        return self._robots.get(host)

    def remember_robots(self, host: str, record: RobotsRecord) -> None:
        _put(self._robots, host, record, self.max_hosts)

    def copy(self) -> FetchCache:
        """A copy to go back to when the work that used the responses fails."""
        twin = FetchCache(self.max_entries, self.max_hosts)
        twin._entries = OrderedDict(self._entries)
        twin._robots = OrderedDict(self._robots)
        return twin

    @classmethod
    def load(cls, path: str | Path, max_entries: int = 2048, max_hosts: int = 512) -> FetchCache:
        cache = cls(max_entries, max_hosts)
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cache
        if not isinstance(data, dict):
            return cache
        validators = data.get("validators")
        for url, entry in list(validators.items() if isinstance(validators, dict) else [])[-max_entries:]:
            if isinstance(entry, dict):
                cache.remember(url, Validators(etag=_str_or_none(entry.get("etag")),
                                               last_modified=_str_or_none(entry.get("last_modified"))))
        robots = data.get("robots")
        for host, entry in list(robots.items() if isinstance(robots, dict) else [])[-max_hosts:]:
            if (isinstance(entry, dict) and entry.get("verdict") in ("rules", "allow", "disallow")
                    and isinstance(entry.get("text", ""), str) and isinstance(entry.get("fetched_at"), (int, float))):
                cache.remember_robots(host, RobotsRecord(entry["verdict"], entry.get("text", ""),
                                                         float(entry["fetched_at"])))
        return cache

    def save(self, path: str | Path) -> None:
        target = Path(path)
        data = {"validators": {url: {"etag": v.etag, "last_modified": v.last_modified}
                               for url, v in self._entries.items()},
                "robots": {host: {"verdict": r.verdict, "text": r.text, "fetched_at": r.fetched_at}
                           for host, r in self._robots.items()}}
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent, prefix=f".{target.name}.",
                                             suffix=".tmp", delete=False)
        try:
            with handle:
                json.dump(data, handle, ensure_ascii=False)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(handle.name, target)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise


def _put(entries: OrderedDict, key: str, value: object, bound: int) -> None:
    entries[key] = value
    entries.move_to_end(key)
    while len(entries) > bound:
        entries.popitem(last=False)


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


class _Deadline:
    """When the response being fetched must be complete, on the fetcher's clock (None: no request
    under way). httpx's timeouts bound each connect and each read; this bounds their sum, so a
    server that sends a byte every half second cannot hold a request past ``timeout``."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.at: float | None = None

    def cap(self, timeout: float | None, expired: type[Exception]) -> float | None:
        """The wait allowed for the next connect, read or write: ``timeout`` shortened to the
        time left; ``expired`` (an httpcore timeout) when none is left."""
        if self.at is None:
            return timeout
        left = self.at - self._clock()
        if left <= 0:
            raise expired("the response deadline has passed")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream:
    """A connection whose every read and write waits no longer than the deadline allows
    (httpcore's ``NetworkStream`` interface)."""

    def __init__(self, inner, deadline: _Deadline) -> None:
        self._inner, self._deadline = inner, deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        import httpcore

        return self._inner.read(max_bytes, self._deadline.cap(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        import httpcore

        self._inner.write(buffer, self._deadline.cap(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname: str | None = None, timeout: float | None = None):
        import httpcore

        timeout = self._deadline.cap(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, timeout), self._deadline)

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


class _DeadlineBackend:
    """httpcore's socket backend with every connection under the deadline (httpcore's
    ``NetworkBackend`` interface)."""

    def __init__(self, inner, deadline: _Deadline) -> None:
        self._inner, self._deadline = inner, deadline

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options=None) -> _DeadlineStream:
        import httpcore

        stream = self._inner.connect_tcp(host, port, self._deadline.cap(timeout, httpcore.ConnectTimeout),
                                         local_address, socket_options)
        return _DeadlineStream(stream, self._deadline)

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options=None) -> _DeadlineStream:
        import httpcore

        stream = self._inner.connect_unix_socket(path, self._deadline.cap(timeout, httpcore.ConnectTimeout),
                                                 socket_options)
        return _DeadlineStream(stream, self._deadline)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _put_under_deadline(client: httpx.Client, deadline: _Deadline) -> None:
    """Route the client's connections (direct, and through proxies from the environment) through
    ``_DeadlineBackend``. httpcore takes a network backend, httpx does not pass one on: it is set on
    each transport's connection pool."""
    import httpx

    for transport in (client._transport, *client._mounts.values()):
        if transport is None:  # a host that NO_PROXY exempts: served by the default transport
            continue
        pool = getattr(transport, "_pool", None) if isinstance(transport, httpx.HTTPTransport) else None
        if pool is None or not hasattr(pool, "_network_backend"):
            raise RuntimeError(f"httpx {httpx.__version__} gives no way to bound a whole response; "
                               "install httpx>=0.27,<1 with httpcore 1.x")
        pool._network_backend = _DeadlineBackend(pool._network_backend, deadline)


@dataclass
class _Host:
    last_request: float | None = None
    robots: RobotFileParser | None = None
    robots_fetched_at: float = 0.0  # wall clock


class Fetcher:
    """GET over http(s) with the limits of ``FetchOptions``; raises ``FetchError`` naming the URL.

    ``transport`` is an httpx transport (tests may pass ``httpx.MockTransport``); ``clock`` is a
    monotonic clock, ``sleep`` waits, ``now`` is wall-clock time for HTTP dates in Retry-After;
    once ``stop`` answers true no further request is sent (a ``FetchError`` says so).
    """

    def __init__(self, options: FetchOptions = FetchOptions(), *, cache: FetchCache | None = None,
                 transport: httpx.BaseTransport | None = None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], object] = time.sleep, now: Callable[[], float] = time.time,
                 stop: Callable[[], bool] = lambda: False) -> None:
        import httpx  # here, not at import time: the command line starts faster when nothing is fetched

        self.options = options
        self.clock = clock  # the clock of ``get(by=...)``: a caller sets its deadline on it
        self.cache = cache if cache is not None else FetchCache(options.max_validators, options.max_hosts)
        self._clock, self._sleep, self._now, self._stop = clock, sleep, now, stop
        self._hosts: OrderedDict[str, _Host] = OrderedDict()
        self._client = httpx.Client(transport=transport, follow_redirects=False,
                                    timeout=httpx.Timeout(options.timeout),
                                    headers={"User-Agent": options.user_agent,
                                             "Accept-Encoding": "gzip, deflate"})  # what _Inflater reads
        self._deadline = _Deadline(clock)
        if transport is None:  # a transport given (a test's MockTransport) opens no sockets to bound
            _put_under_deadline(self._client, self._deadline)
        self.requests = 0  # requests sent, robots.txt included: what a re-poll costs

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, *, conditional: bool = False, accept: str | None = None,
            by: float | None = None) -> Response:
        """The response for ``url`` after redirects; ``conditional`` sends remembered validators,
        and a 304 comes back as ``not_modified``. Validators of a 200 are returned, not stored:
        call ``remember`` once the body has been used, so an interrupted run asks again.

        Each response (each redirect hop, retry and robots.txt) must be complete within
        ``timeout`` (``FetchTimeout``); ``by``, a moment on the fetcher's clock, is the caller's
        own deadline (a poll's): nothing is sent, waited for or read past it (``FetchStopped``)."""
        _check_scheme(url, url)
        headers = {"Accept": accept} if accept else {}
        if conditional:
            known = self.cache.get(url)
            if known is not None:
                headers.update(known.request_headers())
        current, seen = url, {url}
        for _ in range(self.options.max_redirects + 1):
            if self.options.respect_robots:
                self._check_robots(url, current, by)
            response = self._get_once(url, current, headers, by)
            if isinstance(response, Response):
                return response
            target = urljoin(current, response)
            _check_scheme(url, target)
            if target in seen:
                raise FetchError(f"{url}: redirect loop at {target}")
            seen.add(target)
            if urlsplit(target).netloc != urlsplit(current).netloc:
                headers.pop("If-None-Match", None)
                headers.pop("If-Modified-Since", None)
            current = target
        raise FetchError(f"{url}: more than {self.options.max_redirects} redirects")

    def remember(self, response: Response) -> None:
        """Keep a used response's validators for the next conditional request."""
        self.cache.remember(response.url, response.validators)

    # ---------------------------------------------------------------- one request

    def _get_once(self, url: str, current: str, headers: Mapping[str, str], by: float | None) -> Response | str:
        """A ``Response``, or the ``Location`` of a redirect to follow."""
        import httpx

        for attempt in range(self.options.retries + 1):
            self._wait_for_host(current, by)
            try:
                with self._response_deadline(by), self._client.stream("GET", current, headers=dict(headers)) as answer:
                    status = answer.status_code
                    if status in (301, 302, 303, 307, 308):
                        location = answer.headers.get("Location")
                        if not location:
                            raise FetchError(f"{url}: HTTP {status} redirect without a Location")
                        return location
                    if status in RETRY_STATUSES and attempt < self.options.retries:
                        pause = self._retry_pause(answer.headers.get("Retry-After"), attempt)
                        if pause is None:
                            raise FetchError(f"{url}: HTTP {status} {answer.reason_phrase}; the server asks to "
                                             f"retry after more than {self.options.max_retry_after:g} s")
                        if by is not None and self._clock() + pause > by:
                            raise FetchStopped(f"{url}: HTTP {status}; a retry after {pause:g} s would pass the "
                                               "deadline; left for the next run")
                    elif status == 304:
                        return Response(url=url, final_url=current, status=304, content_type="",
                                        not_modified=True)
                    elif status >= 400:
                        raise FetchError(f"{url}: HTTP {status} {answer.reason_phrase}".rstrip())
                    else:
                        return self._read_body(url, current, answer)
            except httpx.TimeoutException as error:
                raise self._timed_out(url, by) from error
            except httpx.InvalidURL as error:
                raise FetchError(f"{url}: not a valid URL ({error})") from error
            except httpx.TransportError as error:
                raise FetchError(f"{url}: cannot be reached ({_reason(error)})") from error
            except httpx.HTTPError as error:
                raise FetchError(f"{url}: request failed ({_reason(error)})") from error
            self._sleep(pause)
        raise AssertionError("unreachable: the last attempt returns or raises")  # pragma: no cover

    def _read_body(self, url: str, current: str, answer: httpx.Response) -> Response:
        content, truncated = _read_capped(url, answer, self.options.max_bytes)
        media_type, _, parameters = answer.headers.get("Content-Type", "").partition(";")
        charset = None
        for parameter in parameters.split(";"):
            key, _, value = parameter.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip("\"' ").lower()
        validators = Validators(etag=answer.headers.get("ETag"), last_modified=answer.headers.get("Last-Modified"))
        return Response(url=url, final_url=current, status=answer.status_code,
                        content_type=media_type.strip().lower(), content=content, truncated=truncated,
                        validators=validators if (validators.etag or validators.last_modified) else None,
                        charset=charset)

    def _retry_pause(self, retry_after: str | None, attempt: int) -> float | None:
        """Seconds to wait before the next try: Retry-After when given (None if beyond the bound),
        else exponential back-off."""
        pause = self.options.backoff * (2 ** attempt)
        if retry_after:
            value = retry_after.strip()
            if value.isdigit():
                pause = float(value)
            else:
                try:
                    pause = max(0.0, parsedate_to_datetime(value).timestamp() - self._now())
                except (TypeError, ValueError, IndexError, OverflowError):
                    pass
            if pause > self.options.max_retry_after:
                return None
        return min(pause, self.options.max_retry_after)

    def _host(self, url: str) -> _Host:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = _Host()
            while len(self._hosts) > self.options.max_hosts:
                self._hosts.popitem(last=False)
        self._hosts.move_to_end(key)
        return host

    def _wait_for_host(self, url: str, by: float | None) -> None:
        host = self._host(url)
        if host.last_request is not None:
            pause = host.last_request + self.options.delay - self._clock()
            if pause > 0:
                self._sleep(pause)
        if self._stop():
            raise FetchStopped(f"{url}: not fetched, stopping")
        if by is not None and self._clock() >= by:
            raise FetchStopped(f"{url}: not fetched, the deadline has passed; left for the next run")
        host.last_request = self._clock()
        self.requests += 1

    @contextmanager
    def _response_deadline(self, by: float | None) -> Iterator[None]:
        """Every connect, write and read inside must end ``timeout`` seconds from now (or ``by``)."""
        self._deadline.at = self._clock() + self.options.timeout
        if by is not None:
            self._deadline.at = min(self._deadline.at, by)
        try:
            yield
        finally:
            self._deadline.at = None

    def _timed_out(self, url: str, by: float | None) -> FetchError:
        """The one-line error of a response cut by its deadline, or by the caller's."""
        if by is not None and self._clock() >= by:
            return FetchStopped(f"{url}: cut at the deadline; left for the next run")
        return FetchTimeout(f"{url}: no complete response within {self.options.timeout:g} s "
                            "(a slow or stalled server); not read")

    # ---------------------------------------------------------------- robots.txt

    def _check_robots(self, url: str, current: str, by: float | None) -> None:
        host = self._host(current)
        if host.robots is None or not self._fresh(host.robots_fetched_at):
            record = self._robots_record(url, current, by)
            host.robots, host.robots_fetched_at = record.parser(), record.fetched_at
        if not host.robots.can_fetch(self.options.user_agent, current):
            why = "answered with a server error" if host.robots.disallow_all else "disallows"
            raise FetchError(f"{url}: robots.txt of {urlsplit(current).netloc} {why}; not fetching {current}")

    def _fresh(self, fetched_at: float) -> bool:
        return 0 <= self._now() - fetched_at <= ROBOTS_TTL_SECONDS

    def _robots_record(self, url: str, current: str, by: float | None) -> RobotsRecord:
        """The host's robots.txt from the cache while a day old at most, else fetched (and cached)."""
        parts = urlsplit(current)
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        record = self.cache.robots_for(key)
        if record is None or not self._fresh(record.fetched_at):
            record = self._read_robots(url, f"{parts.scheme}://{parts.netloc}/robots.txt", by)
            self.cache.remember_robots(key, record)
        return record

    def _read_robots(self, url: str, robots_url: str, by: float | None) -> RobotsRecord:
        """RFC 9309: a 4xx means no rules, a server error means keep out for now; a host that
        cannot be reached is a ``FetchError`` (not remembered, so the next request tries again)."""
        import httpx

        location = robots_url
        try:
            for _ in range(self.options.max_redirects + 1):
                self._wait_for_host(location, by)
                with self._response_deadline(by), self._client.stream("GET", location) as answer:
                    if answer.status_code in (301, 302, 303, 307, 308) and answer.headers.get("Location"):
                        location = urljoin(location, answer.headers["Location"])
                        if urlsplit(location).scheme not in ("http", "https"):
                            break
                        continue
                    if 400 <= answer.status_code < 500:
                        return RobotsRecord("allow", fetched_at=self._now())
                    if answer.status_code >= 500:
                        return RobotsRecord("disallow", fetched_at=self._now())
                    body, _ = _read_capped(url, answer, ROBOTS_MAX_BYTES)
                    text = body.decode("utf-8", errors="replace")
                    return RobotsRecord("rules", text, fetched_at=self._now())
        except httpx.TimeoutException as error:
            raise self._timed_out(url, by) from error
        except httpx.HTTPError as error:
            raise FetchError(f"{url}: cannot be reached ({_reason(error)})") from error
        return RobotsRecord("allow", fetched_at=self._now())  # too many redirects: RFC 9309 says unavailable


def _read_capped(url: str, answer: httpx.Response, cap: int) -> tuple[bytes, bool]:
    """The body, inflated, up to ``cap`` bytes; and whether it was cut there."""
    inflater = _Inflater(url, answer.headers.get("Content-Encoding", ""))
    chunks: list[bytes] = []
    size = 0
    for raw in answer.iter_raw(_CHUNK):
        room = cap - size
        chunk = inflater.inflate(raw, room + 1)  # one byte more than fits says the body is cut
        if len(chunk) > room:
            chunks.append(chunk[:room])
            return b"".join(chunks), True
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks), False


class _Inflater:
    """A body's Content-Encoding undone a bounded piece at a time: never more than the room left
    under the size cap is inflated, so 2 GB of zeros sent as 2 MB of gzip costs no more memory
    than the cap. httpx inflates a whole network read at once (and every layer of "gzip, gzip"),
    which a compression bomb turns into gigabytes. Only gzip and deflate are asked for; a body
    in any other coding, or in more than one, is refused."""

    def __init__(self, url: str, content_encoding: str) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip().lower() not in ("", "identity")]
        if len(codings) > 1:
            raise FetchError(f"{url}: compressed more than once (Content-Encoding: {content_encoding}); not read")
        if codings and codings[0] not in ("gzip", "x-gzip", "deflate"):
            raise FetchError(f"{url}: Content-Encoding {codings[0]!r} was not asked for; not read")
        self._url = url
        self._coding = codings[0] if codings else None
        self._inflater = None
        if self._coding is not None:
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS | (0 if self._coding == "deflate" else 16))
        self._started = False

    def inflate(self, raw: bytes, limit: int) -> bytes:
        """At most ``limit`` bytes of the body that ``raw`` carries (input beyond them is dropped:
        the caller stops reading once the cap is passed)."""
        if self._inflater is None:
            return raw[:limit]
        try:
            try:
                out = self._inflater.decompress(raw, limit)
            except zlib.error:
                if self._coding != "deflate" or self._started:
                    raise
                # "deflate" servers often send a raw deflate stream without the zlib header
                self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                out = self._inflater.decompress(raw, limit)
        except zlib.error as error:
            raise FetchError(f"{self._url}: the {self._coding} body is corrupt ({error}); not read") from error
        self._started = True
        return out


def _check_scheme(url: str, target: str) -> None:
    try:
        parts = urlsplit(target)
        parts.port  # noqa: B018 (raises on a port that is no number)
    except ValueError as error:
        raise FetchError(f"{url}: not a valid URL ({error})") from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        where = "" if target == url else f" (redirected to {target})"
        raise FetchError(f"{url}{where}: only http:// and https:// URLs are fetched, not {scheme or 'no scheme'}")
    if not urlsplit(target).hostname:
        raise FetchError(f"{url}: no host in {target}")


def _reason(error: Exception) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
