"""The one module that speaks to the OCOP rating registry (../shared/registry/CONTRACT.md).

Transient failures (timeouts, connection errors, 5xx, 429 with Retry-After, a body that is
not the JSON promised) are retried with exponential backoff; when the attempts run out the
caller gets `RegistryUnavailable`. A refused token is `RegistryAuthError` at once.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from django.conf import settings

logger = logging.getLogger(__name__)


class RegistryError(Exception):
    """Anything that went wrong talking to the registry."""


class RegistryUnavailable(RegistryError):
    """The registry kept failing (timeouts, 5xx, 429, broken answers) after every retry."""


class RegistryAuthError(RegistryError):
    """The registry refused our token (401)."""


class RegistryRequestError(RegistryError):
    """The registry rejected the request itself (400, 404): retrying will not help."""

    def __init__(self, message: str, *, status: int, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


@dataclass(frozen=True)
class FeedPage:
    records: list[Any]
    next_cursor: str
    has_more: bool


@dataclass(frozen=True)
class MediaFile:
    content_type: str
    content: bytes


class _Transient(Exception):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RegistryClient:
    def __init__(
        self,
        *,
        base_url: str | None = None,
        token: str | None = None,
        timeout: float | None = None,
        max_attempts: int | None = None,
        backoff: float | None = None,
        max_wait: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = (base_url or settings.OCOP_REGISTRY_URL).rstrip("/")
        self.token = token if token is not None else settings.OCOP_REGISTRY_TOKEN
        self.max_attempts = max(1, max_attempts or settings.OCOP_REGISTRY_MAX_ATTEMPTS)
        self.backoff = settings.OCOP_REGISTRY_BACKOFF_SECONDS if backoff is None else backoff
        self.max_wait = settings.OCOP_REGISTRY_MAX_WAIT_SECONDS if max_wait is None else max_wait
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout or settings.OCOP_REGISTRY_TIMEOUT_SECONDS,
            headers={"Authorization": f"Bearer {self.token}", "Accept": "application/json"},
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # The calls of CONTRACT.md

    def feed_page(self, *, cursor: str | None, limit: int) -> FeedPage:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        body = self._get_json("/api/v1/certifications", params=params)
        if not (
            isinstance(body, dict)
            and isinstance(body.get("data"), list)
            and isinstance(body.get("next_cursor"), str)
            and isinstance(body.get("has_more"), bool)
        ):
            raise RegistryUnavailable("The registry's feed page is not {data, next_cursor, has_more}.")
        return FeedPage(records=body["data"], next_cursor=body["next_cursor"], has_more=body["has_more"])

    def certification(self, certificate_id: str) -> Any:
        return self._get_json(f"/api/v1/certifications/{quote(certificate_id, safe='')}")

    def media(self, media_id: str, *, max_bytes: int) -> MediaFile:
        """Download one image, refusing more than `max_bytes` without reading it all."""

        def read(response: httpx.Response) -> MediaFile:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise RegistryRequestError(
                    f"image {media_id} is {int(declared):,} bytes, over the limit of {max_bytes:,}",
                    status=response.status_code,
                    code="too_large",
                )
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise RegistryRequestError(
                        f"image {media_id} is over the limit of {max_bytes:,} bytes",
                        status=response.status_code,
                        code="too_large",
                    )
                chunks.append(chunk)
            return MediaFile(content_type=response.headers.get("Content-Type", ""), content=b"".join(chunks))

        return self._request(f"/api/v1/media/{quote(media_id, safe='')}", params=None, read=read)

    # Transport with retries

    def _get_json(self, path: str, *, params: dict | None = None) -> Any:
        def read(response: httpx.Response) -> Any:
            raw = response.read()
            try:
                return json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise _Transient(f"the registry answered {path} with broken JSON ({exc})") from exc

        return self._request(path, params=params, read=read)

    def _request(self, path: str, *, params: dict | None, read: Callable[[httpx.Response], Any]) -> Any:
        last_error = ""
        for attempt in range(1, self.max_attempts + 1):
            try:
                with self._http.stream("GET", path, params=params) as response:
                    self._check_status(response, path)
                    return read(response)
            except _Transient as exc:
                last_error = str(exc)
                wait = exc.retry_after
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                last_error = f"{type(exc).__name__} on {path}: {exc}"
                wait = None
            if attempt == self.max_attempts:
                break
            delay = self._delay(attempt, wait)
            logger.warning(
                "registry attempt %s/%s failed (%s); retrying in %.2fs", attempt, self.max_attempts, last_error, delay
            )
            self._sleep(delay)
        raise RegistryUnavailable(f"The registry at {self.base_url} failed {self.max_attempts} times: {last_error}")

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_wait)
        exponential = self.backoff * (2 ** (attempt - 1))
        return min(exponential * (0.5 + random.random() / 2), self.max_wait)  # jitter

    def _check_status(self, response: httpx.Response, path: str) -> None:
        status = response.status_code
        if status < 400:
            return
        response.read()
        code, message = _error_of(response)
        if status == 401:
            raise RegistryAuthError(
                f"The registry at {self.base_url} refused the token (401 {code or 'unauthorized'}): "
                "check OCOP_REGISTRY_TOKEN."
            )
        if status == 429 or status >= 500:
            raise _Transient(f"{status} {code} {message}".strip() + f" on {path}", _retry_after(response))
        raise RegistryRequestError(
            f"The registry rejected {path} ({status} {code}): {message}", status=status, code=code
        )


def _error_of(response: httpx.Response) -> tuple[str, str]:
    try:
        error = response.json().get("error") or {}
        return str(error.get("code") or ""), str(error.get("message") or "")
    except (ValueError, AttributeError):
        return "", response.text[:200]


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
