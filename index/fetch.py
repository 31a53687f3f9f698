"""Polite HTTP fetching for synced sources: robots.txt, a user agent naming the product, a
delay between requests to one host, timeouts (per read and for the whole response), a size
limit, a redirect limit, conditional requests (ETag / Last-Modified) and charset decoding that
copes with Chinese pages served without one (GBK, GB18030).

Every failure is a ``FetchError`` whose message is the one-line reason a sync reports for that
item ("HTTP 404", "timed out after 5 s", "larger than 20 MB", "redirects in a loop",
"disallowed by robots.txt"); nothing here raises anything else for a bad page.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from index.errors import LandscapeError

USER_AGENT = "landscape-sync/0.1 (AI-landscape knowledge base; polite crawler)"
_SERVER_DEFAULTS = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252"}
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
    private_hosts: bool = False  # item links and redirects may reach private addresses


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
            own = meta.group(1).decode("ascii", "ignore")
            if candidates and candidates[0].lower().replace("_", "-") in _SERVER_DEFAULTS:
                candidates.insert(0, own)  # a server's default loses to the page's own word
            else:
                candidates.append(own)
        for encoding in [*candidates, "utf-8", "gb18030"]:
            try:
                return self.body.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
        from charset_normalizer import from_bytes

        best = from_bytes(self.body).best()
        return str(best) if best is not None else self.body.decode("utf-8", "replace")


class Fetcher:
    """One fetcher per sync: it remembers robots.txt and the last request to each host.

    ``trusted_hosts``: hosts staff named themselves (a source's own URL), which may be on the
    intranet. Any other host, reached through a feed's item link or a redirect, must resolve
    to public addresses: a feed cannot make the server fetch 127.0.0.1, 10.x, 169.254.169.254
    and the like (``LANDSCAPE_FETCH_PRIVATE_HOSTS=true`` allows them)."""

    def __init__(self, policy: FetchPolicy | None = None,
                 trusted_hosts: Iterable[str] = ()) -> None:
        import urllib3

        self.policy = policy or FetchPolicy()
        self.trusted_hosts = {h.lower() for h in trusted_hosts}
        self._http = urllib3.PoolManager(headers={"User-Agent": self.policy.user_agent},
                                         retries=False)
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str | None] = {}
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def _wait_for(self, host: str) -> None:
        with self._lock:
            wait = self._last.get(host, 0.0) + self.policy.host_delay_s - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last[host] = time.monotonic()

    def _check_address(self, url: str) -> None:
        """Refuse a host that is not trusted and resolves to a non-public address."""
        host = (urlsplit(url).hostname or "").lower()
        if self.policy.private_hosts or host in self.trusted_hosts:
            return
        try:
            infos = socket.getaddrinfo(host, None)
        except OSError:
            raise FetchError(f"cannot resolve {host}") from None
        for info in infos:
            address = ipaddress.ip_address(info[4][0])
            if not address.is_global:
                raise FetchError(f"refused: {host} is a private or local address")

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's site lets our user agent fetch it: a missing one
        (4xx) allows everything; one that cannot be read (5xx, timeout) allows nothing, as
        RFC 9309 says."""
        return self.robots_verdict(url) == ""

    def robots_verdict(self, url: str) -> str:
        """"" when allowed, else the reason."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self._robots:
            verdict: urllib.robotparser.RobotFileParser | str | None = None
            try:
                got = self._get(f"{site}/robots.txt", {}, check_robots=False, any_status=True)
                if got.status == 200:
                    parser = urllib.robotparser.RobotFileParser()
                    parser.parse(got.text().splitlines())
                    verdict = parser
                elif got.status >= 500:
                    verdict = f"robots.txt unavailable (HTTP {got.status})"
            except FetchError as exc:
                verdict = f"robots.txt unavailable ({exc})"
            self._robots[site] = verdict
        verdict = self._robots[site]
        if isinstance(verdict, str):
            return verdict
        if verdict is not None and not verdict.can_fetch(self.policy.user_agent, url):
            return "disallowed by robots.txt"
        return ""

    def get(self, url: str, etag: str = "", last_modified: str = "") -> Fetched:
        """GET with the policy's limits; a 304 when ``etag``/``last_modified`` still hold."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers, check_robots=True)

    def _get(self, url: str, headers: dict[str, str], check_robots: bool,
             any_status: bool = False) -> Fetched:
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
            self._check_address(url)
            if check_robots and (reason := self.robots_verdict(url)):
                raise FetchError(reason)
            seen.append(url)
            self._wait_for(urlsplit(url).netloc)
            try:
                response = self._http.request(
                    "GET", url, headers=headers, redirect=False, preload_content=False,
                    timeout=urllib3.Timeout(connect=policy.timeout_s, read=policy.timeout_s))
            except urllib3.exceptions.TimeoutError:
                raise FetchError(f"timed out after {policy.timeout_s:g} s") from None
            except urllib3.exceptions.HTTPError as exc:
                raise FetchError(f"could not connect ({type(exc).__name__})") from None
            done = False  # the body was read to its end: the connection can be reused
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
                if response.status != 200 and not any_status:
                    raise FetchError(f"HTTP {response.status}")
                kind = response.headers.get("Content-Type", "")
                if not any_status and _UNREADABLE.search(kind):
                    raise FetchError(f"not a web page or feed ({kind.split(';')[0].strip()})")
                declared = _content_length(response.headers.get("Content-Length"))
                if declared > policy.max_bytes:
                    raise FetchError(f"larger than {policy.max_bytes / 1e6:g} MB "
                                     f"({declared / 1e6:.0f} MB)")
                body = self._read(response)
                done = True
                return Fetched(url, response.status, body, kind,
                               response.headers.get("ETag", ""),
                               response.headers.get("Last-Modified", ""))
            finally:
                if done:
                    response.release_conn()
                else:  # an unread body would be read as the next response on this connection
                    response.close()

    def _read(self, response: Any) -> bytes:
        """The body within the size limit and the whole-download time (3 × the timeout): a
        server that trickles bytes is cut off by a watchdog, not only between reads."""
        import urllib3

        policy = self.policy
        budget = policy.timeout_s * 3
        expired = threading.Event()

        def cut_off() -> None:
            expired.set()
            try:
                response.shutdown()
            except Exception:  # noqa: BLE001 - the connection may be gone already
                pass

        watchdog = threading.Timer(budget, cut_off)
        watchdog.daemon = True
        watchdog.start()
        body = bytearray()
        try:
            while True:
                part = response.read1(65536)
                if not part:
                    break
                body += part
                if len(body) > policy.max_bytes:
                    raise FetchError(f"larger than {policy.max_bytes / 1e6:g} MB")
                if expired.is_set():
                    break
        except urllib3.exceptions.TimeoutError:
            raise FetchError(f"timed out after {policy.timeout_s:g} s") from None
        except (urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
            if not expired.is_set():
                raise FetchError(f"the download broke off ({type(exc).__name__})") from None
        finally:
            watchdog.cancel()
        if expired.is_set():
            raise FetchError(f"timed out after {budget:g} s (still downloading)")
        return bytes(body)


_UNREADABLE = re.compile(r"^\s*(?:image|audio|video|font)/|application/(?:pdf|zip|octet-stream"
                         r"|x-|vnd\.|msword)", re.IGNORECASE)


def _content_length(value: str | None) -> int:
    """The declared length, or 0 when absent or unreadable ("2, 2" from a doubled header)."""
    try:
        return max(int(part) for part in (value or "0").split(","))
    except ValueError:
        return 0
