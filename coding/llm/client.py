"""Send chat-completions requests to an OpenAI-compatible endpoint: timeout, retry with backoff.

The API key is read from an environment variable by the caller and held only in this object's request
header; it is never written to the database, the cache or any message (``repr`` hides it).
"""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bolyst.corpus.errors import BolystError

RETRY_STATUS = (408, 409, 429, 500, 502, 503, 504)
MAX_ANSWER = 2_000_000  # bytes read from one response at most


class LlmError(BolystError):
    """The endpoint could not be reached or did not answer as asked, after every retry."""


def endpoint(url: str) -> str:
    """The chat-completions URL of a server given by its base ('http://localhost:11434/v1') or full URL."""
    url = url.rstrip("/")
    if url.endswith("/chat/completions"):
        return url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LlmError(f"--llm-url is {url!r}", fix="give an http(s) URL, e.g. http://localhost:11434/v1")
    return url + ("/chat/completions" if parts.path else "/v1/chat/completions")


@dataclass
class ChatClient:
    url: str
    model: str
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 120.0
    retries: int = 3
    backoff: float = 2.0  # seconds before the first retry, doubled each time
    sleep: Callable[[float], None] = time.sleep
    requests: int = 0  # requests sent (retries included)

    def complete(self, body: dict) -> tuple[str, str]:
        """(the answer's message content, the model name the server reports)."""
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        target, last = endpoint(self.url), ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            self.requests += 1
            try:
                request = urllib.request.Request(target, data=data, headers=headers, method="POST")
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    reply = json.loads(response.read(MAX_ANSWER).decode("utf-8"))
                return reply["choices"][0]["message"]["content"] or "", str(reply.get("model") or self.model)
            except urllib.error.HTTPError as exc:
                last = f"HTTP {exc.code} {exc.reason}"
                if exc.code not in RETRY_STATUS:
                    break
            except (TimeoutError, socket.timeout):
                last = f"no answer within {self.timeout:g} s"
            except urllib.error.URLError as exc:
                last = f"cannot reach the server ({exc.reason})"
            except (ValueError, KeyError, IndexError, TypeError):
                last = "the reply is not a chat-completions response"
                break
        raise LlmError(f"the language model at {target} failed: {last}", fix="check --llm-url and --llm-model, and "
                       "that the server runs; the excerpts not coded are listed, the others are kept")
