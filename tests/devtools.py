"""Headless Chromium driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``).

Why not ``--dump-dom --virtual-time-budget``: a sandboxed ``<iframe srcdoc>`` (the report's map)
runs in a process of its own, whose clock and layout the budget does not hold, so the page is
dumped at a moment that changes from run to run. Here the test waits, in real time, for a
condition in the frame it names and then asks that frame what it drew. Only the standard library
is used; the browser opens files from disk and is pointed at no network.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from typing import Any

NO_NETWORK = ("--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>")


class Browser:
    """One headless Chromium showing one page; ``evaluate`` runs JavaScript in the page or its frame."""

    def __init__(self, url: str, *, width: int = 1400, height: int = 1000) -> None:
        self._profile = tempfile.TemporaryDirectory(prefix="tracker-devtools-", ignore_cleanup_errors=True)
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()
        # Chromium reads commands on fd 3 and answers on fd 4. Both ends are first moved to free
        # descriptors of 10 and above (closed on exec), so that neither dup2 in the child can
        # clobber the other; the dup2s make 3 and 4 inheritable, and nothing else is passed on
        high_read = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD_CLOEXEC, 10)
        high_write = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_browser_read)
        os.close(from_browser_write)
        command = [shutil.which("chromium") or shutil.which("chromium-browser") or "chromium", "--headless",
                   "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                   "--disable-component-update", "--disable-sync", "--remote-debugging-pipe",
                   f"--user-data-dir={self._profile.name}", f"--window-size={width},{height}", *NO_NETWORK, url]
        self._process = subprocess.Popen(command, close_fds=False, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL,
                                         preexec_fn=lambda: (os.dup2(high_read, 3), os.dup2(high_write, 4)))
        os.close(high_read)
        os.close(high_write)
        self._buffer = b""
        self._next_id = 0
        self._sessions: dict[str, str] = {}

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *_: object) -> None:
        try:  # closed by its own hand, Chromium ends its helper processes too
            self._send("Browser.close")
            self._process.wait(timeout=10)
        except (OSError, RuntimeError, subprocess.TimeoutExpired):
            self._process.kill()
            self._process.wait(timeout=30)
        os.close(self._to_browser)
        os.close(self._from_browser)
        self._profile.cleanup()

    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def _session(self, kind: str) -> str | None:
        """A session on the first target of this kind ('page' or 'iframe'), or None while there is none."""
        if kind not in self._sessions:
            targets = [t for t in self._send("Target.getTargets")["targetInfos"] if t["type"] == kind]
            if not targets:
                return None
            self._sessions[kind] = self._send("Target.attachToTarget",
                                              {"targetId": targets[0]["targetId"], "flatten": True})["sessionId"]
        return self._sessions[kind]

    def evaluate(self, expression: str, *, frame: bool = False) -> Any:
        """The JSON value of ``expression`` in the page, or in its (out-of-process) frame."""
        session = self._session("iframe" if frame else "page")
        if session is None:
            raise LookupError("no such frame yet")
        result = self._send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                 "awaitPromise": True}, session)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"].get("exception", {}).get("description", "script error"))
        return result["result"].get("value")

    def wait_for(self, expression: str, *, frame: bool = False, timeout: float = 60.0) -> Any:
        """Poll ``expression`` until it is truthy; its value. A frame is waited for too."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.evaluate(expression, frame=frame)
            except LookupError:
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"not true within {timeout} s: {expression}")
            time.sleep(0.1)
