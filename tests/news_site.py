"""A small news site for the fetching tests: pages with navigation and footer around the article,
an RSS 2.0 feed and an Atom feed (one story in both, reached by two links), and the awkward
answers a feed reader meets (404, 503 then 200, a redirect loop, HTML where a feed should be, an
enormous page, robots.txt rules, 304 for an unchanged feed). The news items are our own."""

from __future__ import annotations

from html import escape

from local_server import LocalServer, Reply, Request

WARSHIPS = [
    "Russia has moved four frigates and two submarines into the port of Sevastopol, satellite images "
    "published on Monday show, the largest naval build-up in Crimea since the spring.",
    "The frigates arrived at the southern harbour over the weekend, according to the images, which were "
    "taken by a commercial satellite operator and reviewed by independent analysts.",
    "A Ukrainian navy spokesman said the ships were being prepared to carry cruise missiles and warned that "
    "the move raised the threat to ports along the Black Sea coast, including Odesa.",
    "Russia's defence ministry did not comment on the deployment.",
]
TANKS = [
    "More than 20 Russian tanks have arrived near Belgorod, about 40 kilometres north of the Ukrainian city of "
    "Kharkiv, regional officials said on Tuesday.",
    "The governor of the Kharkiv region told reporters that the armoured column had been seen on a road "
    "leading to the border and that residents of nearby villages had been told to prepare shelters.",
    "Military analysts said the tanks appeared to belong to a reserve unit moved from the Moscow region in "
    "recent weeks.",
]
TRAMS = [
    "The city council of Lviv approved plans on Wednesday for a new tram line linking the railway station "
    "with the university district, a project first proposed more than ten years ago.",
    "Construction is expected to begin next spring and to last about two years, the mayor's office said, "
    "with most of the cost covered by a loan from a European development bank.",
]
HELICOPTERS_SUMMARY = ("Four attack helicopters have arrived at an air base near Latakia in Syria, "
                       "a defence official said on Thursday.")

ETAG = '"feed-v1"'
LAST_MODIFIED = "Mon, 30 Nov 2026 09:00:00 GMT"


def page(title: str, paragraphs: list[str], *, canonical: str | None = None, published: str | None = None) -> bytes:
    """A news page as sites serve them: header, navigation, the article, related links, footer."""
    head = f"<title>{escape(title)} | Example Defence News</title>"
    if canonical:
        head += f'<link rel="canonical" href="{escape(canonical)}">'
    if published:
        head += f'<meta property="article:published_time" content="{published}">'
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>{head}</head><body>"
        "<header><a href='/'>Example Defence News</a></header>"
        "<nav><ul><li><a href='/world'>World</a></li><li><a href='/europe'>Europe</a></li>"
        "<li><a href='/subscribe'>Subscribe to our newsletter</a></li></ul></nav>"
        f"<main><article><h1>{escape(title)}</h1><p class='byline'>By Staff Reporter</p>{body}</article>"
        "<aside><h2>Most read</h2><ul><li><a href='/x'>Celebrity chef opens new restaurant</a></li>"
        "<li><a href='/y'>Weather: storms expected this weekend</a></li></ul></aside></main>"
        "<footer><p>Copyright 2026 Example Defence News. All rights reserved.</p>"
        "<p><a href='/privacy'>Privacy policy</a> | <a href='/cookies'>Cookie settings</a></p></footer>"
        "</body></html>").encode("utf-8")


def rss(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Example Defence News</title>
  <link>{base}/</link>
  <description>Defence and security news</description>
  <item>
    <title>Russia moves frigates and submarines to Sevastopol</title>
    <link>{base}/news/warships-sevastopol</link>
    <guid isPermaLink="true">{base}/news/warships-sevastopol</guid>
    <pubDate>Mon, 30 Nov 2026 08:15:00 GMT</pubDate>
    <description>&lt;p&gt;Satellite images show four frigates in Sevastopol.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Lviv approves new tram line</title>
    <link>{base}/news/lviv-trams</link>
    <pubDate>Tue, 01 Dec 2026 10:00:00 +0200</pubDate>
    <description>The city council approved a tram line.</description>
  </item>
  <item>
    <title>Attack helicopters arrive in Syria</title>
    <link>{base}/news/removed-story</link>
    <pubDate>Thu, 26 Nov 2026 12:00:00 GMT</pubDate>
    <description>&lt;p&gt;{HELICOPTERS_SUMMARY}&lt;/p&gt;</description>
  </item>
</channel>
</rss>""".encode("utf-8")


def atom(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example Defence News: Europe</title>
  <id>{base}/atom.xml</id>
  <updated>2026-12-01T09:00:00Z</updated>
  <entry>
    <title>Russian tanks arrive near Belgorod</title>
    <link rel="alternate" type="text/html" href="/news/tanks-belgorod?utm_source=atom"/>
    <id>urn:example:tanks-belgorod</id>
    <published>2026-12-01T07:30:00Z</published>
    <updated>2026-12-01T08:00:00Z</updated>
    <summary>More than 20 Russian tanks have arrived near Belgorod.</summary>
  </entry>
  <entry>
    <title>Russia moves frigates and submarines to Sevastopol</title>
    <link href="{base}/news/warships-sevastopol?ref=atom"/>
    <id>urn:example:warships</id>
    <updated>2026-11-30T08:15:00Z</updated>
  </entry>
</feed>""".encode("utf-8")


def serve_news_site(server: LocalServer) -> LocalServer:
    """Put the site's routes on ``server``."""
    base = server.url("")

    def conditional(body: bytes, content_type: str):
        def answer(request: Request) -> Reply:
            if request.headers.get("if-none-match") == ETAG:
                return Reply(304, b"", None, {"ETag": ETAG})
            return Reply(200, body, content_type, {"ETag": ETAG, "Last-Modified": LAST_MODIFIED})
        return answer

    busy_count = {"n": 0}

    def busy(request: Request) -> Reply:
        busy_count["n"] += 1
        if busy_count["n"] == 1:
            return Reply(503, b"<h1>Service Unavailable</h1>", headers={"Retry-After": "1"})
        return Reply(200, rss(base), "application/rss+xml")

    def enormous() -> object:
        yield ("<html><body><article>" + "".join(f"<p>{escape(p)}</p>" for p in TANKS)).encode("utf-8")
        filler = b"<p>" + b"More filler text about nothing in particular. " * 200 + b"</p>"
        for _ in range(50 * 1024 * 1024 // len(filler)):
            yield filler

    server.routes.update({
        "/robots.txt": Reply(200, b"User-agent: *\nDisallow: /private/\n", "text/plain"),
        "/feed.xml": conditional(rss(base), "application/rss+xml; charset=utf-8"),
        "/atom.xml": conditional(atom(base), "application/atom+xml"),
        "/news/warships-sevastopol": Reply(200, page(
            "Russia moves frigates and submarines to Sevastopol", WARSHIPS,
            canonical=f"{base}/news/warships-sevastopol", published="2026-11-30")),
        "/news/tanks-belgorod": Reply(200, page(
            "Russian tanks arrive near Belgorod", TANKS, canonical="/news/tanks-belgorod")),
        "/news/lviv-trams": Reply(200, page("Lviv approves new tram line", TRAMS, published="2026-12-01")),
        "/busy.xml": busy,
        "/loop-a": Reply(302, b"", None, {"Location": "/loop-b"}),
        "/loop-b": Reply(302, b"", None, {"Location": "/loop-a"}),
        "/to-ftp": Reply(301, b"", None, {"Location": "ftp://127.0.0.1/feed.xml"}),
        "/moved.xml": Reply(301, b"", None, {"Location": "/feed.xml"}),
        "/html-feed.xml": Reply(200, page("Our feeds", ["Subscribe to our feeds to follow the news every day."])),
        "/garbage.xml": Reply(200, b"<rss><channel><item><title>broken", "application/rss+xml"),
        "/huge.html": lambda request: Reply(200, enormous()),
        "/private/secret.html": Reply(200, page("Secret", TRAMS)),
    })
    return server
