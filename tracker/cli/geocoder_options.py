"""The --geocoder family of options, shared by every verb that places names."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from tracker.pipelines.geoparse import ResolveMentions


def default_cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tracker" / "geocode-cache.sqlite"


def add_geocoder_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("geocoding (offline by default)")
    group.add_argument("--geocoder", default="offline",
                       help="'offline' (bundled gazetteer, default) or a geopy service such as 'nominatim' "
                            "or 'photon' (sends place names over the network)")
    group.add_argument("--geocoder-domain", help="host of a self-hosted service, e.g. nominatim.example.org")
    if "--user-agent" not in parser._option_string_actions:  # the fetching options may have added it
        group.add_argument("--user-agent", help="User-Agent for online services (Nominatim requires your contact)")
    group.add_argument("--min-delay", type=float, default=1.0, help="seconds between online requests (default: 1)")
    group.add_argument("--geocode-cache", type=Path, default=None,
                       help=f"cache file of online answers (default: {default_cache_path()})")


def resolver_from_args(args: argparse.Namespace, reporter=None) -> ResolveMentions | None:
    """None for the offline default; otherwise a cached, rate-limited online resolver."""
    if args.geocoder == "offline":
        return None
    from tracker.gazetteer.index import default_gazetteer
    from tracker.resolve.online import DEFAULT_USER_AGENT, GeocodeCache, GeocoderResolver, online_geocoder
    from tracker.resolve.resolver import Resolver

    geocoder = online_geocoder(args.geocoder, domain=args.geocoder_domain,
                               user_agent=args.user_agent or DEFAULT_USER_AGENT)
    namespace = f"{args.geocoder}:{args.geocoder_domain or ''}"
    cache = GeocodeCache(args.geocode_cache or default_cache_path(), namespace)
    warn = reporter.warning if reporter is not None else None
    return GeocoderResolver(geocoder, fallback=Resolver(default_gazetteer()), cache=cache,
                            min_delay_seconds=args.min_delay, **({"on_warning": warn} if warn else {}))
