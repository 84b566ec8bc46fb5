"""Static images of a map: PNG and PDF through Debian's headless Chromium.

The page is opened from disk with the network switched off for Chromium's own services; the
map needs none. A missing browser is a clear error saying what to install.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from tracker.errors import OutputError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--no-pdf-header-footer")
RENDER_BUDGET_MS = 6000
TIMEOUT_S = 120


def find_browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    raise OutputError("PNG and PDF output need Chromium on PATH; install it with: apt-get install chromium")


def _run(arguments: list[str], html: Path, output: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="tracker-chromium-") as profile:
        command = [find_browser(), *FLAGS, f"--user-data-dir={profile}",
                   f"--virtual-time-budget={RENDER_BUDGET_MS}", *arguments, html.resolve().as_uri()]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired as error:
            raise OutputError(f"{output}: Chromium did not finish within {TIMEOUT_S} s") from error
    if result.returncode != 0 or not output.exists() or output.stat().st_size == 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise OutputError(f"{output}: Chromium could not render the page ({last})")


def screenshot(html: Path, output: Path, *, width: int = 1280, height: int = 800) -> Path:
    from tracker.common.atomic import atomic_path

    with atomic_path(output) as temporary:
        _run([f"--screenshot={temporary}", f"--window-size={width},{height}"], html, temporary)
    return output


def pdf(html: Path, output: Path) -> Path:
    from tracker.common.atomic import atomic_path

    with atomic_path(output) as temporary:
        _run([f"--print-to-pdf={temporary}", "--window-size=1280,800"], html, temporary)
    return output
