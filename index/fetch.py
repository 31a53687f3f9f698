"""Polite HTTP fetching for synced sources: robots.txt, a user agent naming the product, a
delay between requests to one host, timeouts (per read and for the whole response), a size
limit, a redirect limit, conditional requests (ETag / Last-Modified) and charset decoding that
copes with Chinese pages served without one (GBK, GB18030).

Every failure is a ``FetchError`` whose message is the one-line reason a sync reports for that
item ("HTTP 404", "timed out after 5 s", "larger than 20 MB", "redirects in a loop",
"disallowed by robots.txt"); nothing here raises anything else for a bad page.
"""

from __future__ import annotations

import re
import threading
import time
import urllib.robotparser
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from index.errors import LandscapeError

USER_AGENT = "landscape-sync/0.1 (AI-landscape knowledge base; polite crawler)"
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w\-]+)""", re.IGNORECASE)


class FetchError(LandscapeError):
    """One URL could not be fetched; the message is the reason, in a few words."""


@dataclass(frozen=True)
class FetchPolicy:
    timeout_s: float = 10.0  # connect and each read, and the whole response
    max_bytes: int = 20_000_000
    max_redirects: int = 5
    host_delay_s: float = 1.0  # between two requests to one host
    user_agent: str = USER_AGENT


@dataclass
class Fetched:
    url: str  # after redirects
    status: int  # 200, or 304 when the conditional request found nothing new
    body: bytes
    content_type: str
    etag: str
    last_modified: str

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        """The body decoded: the header's charset, then the page's own <meta charset>, then
        UTF-8, GB18030 (a superset of GBK) and detection."""
        declared = re.search(r"charset=([\w\-]+)", self.content_type, re.IGNORECASE)
        candidates = [declared.group(1)] if declared else []
        if meta := _CHARSET.search(self.body[:4096]):
            candidates.append(meta.group(1).decode("ascii", "ignore"))
        for encoding in [*candidates, "utf-8", "gb18030"]:
            try:
                return self.body.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
        from charset_normalizer import from_bytes

        best = from_bytes(self.body).best()
        return str(best) if best is not None else self.body.decode("utf-8", "replace")


class Fetcher:
    """One fetcher per sync: it remembers robots.txt and the last request to each host."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        import urllib3

        self.policy = policy or FetchPolicy()
        self._http = urllib3.PoolManager(headers={"User-Agent": self.policy.user_agent},
                                         retries=False)
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def _wait_for(self, host: str) -> None:
        with self._lock:
            wait = self._last.get(host, 0.0) + self.policy.host_delay_s - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last[host] = time.monotonic()

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's site lets our user agent fetch it (a site without
        a readable robots.txt allows everything)."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self._robots:
            parser: urllib.robotparser.RobotFileParser | None = None
            try:
                got = self._get(f"{site}/robots.txt", {}, check_robots=False)
                if got.status == 200:
                    parser = urllib.robotparser.RobotFileParser()
                    parser.parse(got.text().splitlines())
            except FetchError:
                parser = None
            self._robots[site] = parser
        parser = self._robots[site]
        return parser is None or parser.can_fetch(self.policy.user_agent, url)

    def get(self, url: str, etag: str = "", last_modified: str = "") -> Fetched:
        """GET with the policy's limits; a 304 when ``etag``/``last_modified`` still hold."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers, check_robots=True)

    def _get(self, url: str, headers: dict[str, str], check_robots: bool) -> Fetched:
        import urllib3

        seen: list[str] = []
        policy = self.policy
        while True:
            if urlsplit(url).scheme not in ("http", "https"):
                raise FetchError(f"not an http(s) URL: {url[:80]}")
            if url in seen:
                raise FetchError("redirects in a loop")
            if len(seen) > policy.max_redirects:
                raise FetchError(f"more than {policy.max_redirects} redirects")
            if check_robots and not self.allowed(url):
                raise FetchError("disallowed by robots.txt")
            seen.append(url)
            self._wait_for(urlsplit(url).netloc)
            started = time.monotonic()
            try:
                response = self._http.request(
                    "GET", url, headers=headers, redirect=False, preload_content=False,
                    timeout=urllib3.Timeout(connect=policy.timeout_s, read=policy.timeout_s))
            except urllib3.exceptions.TimeoutError:
                raise FetchError(f"timed out after {policy.timeout_s:g} s") from None
            except urllib3.exceptions.HTTPError as exc:
                raise FetchError(f"could not connect ({type(exc).__name__})") from None
            try:
                if response.status in (301, 302, 303, 307, 308):
                    location = response.headers.get("Location", "")
                    if not location:
                        raise FetchError(f"HTTP {response.status} without a Location")
                    url = urljoin(url, location)
                    continue
                if response.status == 304:
                    return Fetched(url, 304, b"", "", headers.get("If-None-Match", ""),
                                   headers.get("If-Modified-Since", ""))
                if response.status != 200:
                    raise FetchError(f"HTTP {response.status}")
                declared = int(response.headers.get("Content-Length") or 0)
                if declared > policy.max_bytes:
                    raise FetchError(f"larger than {policy.max_bytes / 1e6:g} MB "
                                     f"({declared / 1e6:.0f} MB)")
                body = bytearray()
                try:
                    for part in response.stream(65536):
                        body += part
                        if len(body) > policy.max_bytes:
                            raise FetchError(f"larger than {policy.max_bytes / 1e6:g} MB")
                        if time.monotonic() - started > policy.timeout_s * 3:
                            raise FetchError(f"timed out after {policy.timeout_s * 3:g} s "
                                             "(still downloading)")
                except urllib3.exceptions.TimeoutError:
                    raise FetchError(f"timed out after {policy.timeout_s:g} s") from None
                except urllib3.exceptions.HTTPError as exc:
                    raise FetchError(f"the download broke off ({type(exc).__name__})") from None
                return Fetched(url, 200, bytes(body), response.headers.get("Content-Type", ""),
                               response.headers.get("ETag", ""),
                               response.headers.get("Last-Modified", ""))
            finally:
                response.release_conn()
