"""A real local HTTP server speaking the OpenAI chat-completions API, for tests.

Answers are deterministic (derived from the JSON data in the last user message),
and faults (rate limits, server errors, hangs, broken bodies) can be queued either
in-process with `FakeLLMServer.inject` or over HTTP with `POST /_control/fault`,
so a workflow running in a separate process can be targeted too.

Run standalone:
    python tests/fake_llm_server.py --port 0 --port-file PATH [--latency S] [--log PATH]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import re
import signal
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

# Fixed so that responses are byte-for-byte reproducible.
CREATED = 1_700_000_000

FAULTS = ("400", "401", "html", "429", "500", "503", "hang", "malformed", "truncated", "garbage", "slow")
FAULT_DEFAULT_SECONDS = {"hang": 30.0, "slow": 1.0}

# (keywords, field, typical task); first match wins, so more specific rows come first.
# Single words match any title word starting with them ("recruit" -> "recruiter");
# phrases match as a substring of the normalised title.
FIELDS: list[tuple[tuple[str, ...], str, str]] = [
    (("product manager", "product owner"), "product management",
     "deciding what to build and coordinating its delivery"),
    (("professor", "researcher", "phd", "lecturer", "postdoc"), "research and academia",
     "running studies, publishing papers and teaching"),
    (("nurse", "doctor", "physician"), "healthcare", "caring for patients"),
    (("lawyer", "counsel", "legal", "attorney"), "law", "advising on legal matters and contracts"),
    (("teacher",), "education", "teaching and supporting students"),
    (("recruit", "talent", "hr", "people"), "human resources",
     "hiring and supporting employees"),
    (("data", "analyst", "scientist"), "data and analytics",
     "analysing data to support decisions"),
    (("engineer", "developer", "software", "programmer"), "software engineering",
     "building and maintaining software"),
    (("design", "ux"), "design", "designing products and user experiences"),
    (("marketing",), "marketing", "promoting products and brands"),
    (("sales", "account"), "sales", "selling to and managing customer accounts"),
    (("finance", "financial", "accountant", "controller"), "finance",
     "managing budgets, accounts and financial reporting"),
    (("founder", "ceo", "director", "head", "vp", "chief"), "leadership",
     "setting direction and leading teams"),
    (("consultant",), "consulting", "advising clients on their problems"),
    (("student", "intern"), "early-career learning", "studying and gaining work experience"),
]
FALLBACK_FIELD = ("general professional work", "a mix of professional tasks")

GARBAGE_CONTENT = ("Sure! Here is the answer you asked for. "
                   "I hope this helps, let me know if you need anything else.")
MALFORMED_BODY = b"<html>this is not json {"


def classify_title(title: str) -> tuple[str, str]:
    """Return (field, typical task) for a job title via the keyword table."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    normalised = " ".join(words)
    for keywords, field, task in FIELDS:
        for keyword in keywords:
            if " " in keyword:
                if keyword in normalised:
                    return field, task
            elif any(word.startswith(keyword) for word in words):
                return field, task
    return FALLBACK_FIELD


def _message_text(message: dict) -> str:
    """Text of one chat message; content may be a string or a list of content parts."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return ""


def extract_data(body: dict) -> dict | None:
    """The JSON object embedded in the last user message, or None if there is none."""
    messages = body.get("messages")
    if not isinstance(messages, list):
        return None
    user_messages = [m for m in messages if isinstance(m, dict) and m.get("role") == "user"]
    if not user_messages:
        return None
    text = _message_text(user_messages[-1])
    start, end = text.find("{"), text.rfind("}")
    if start == -1 or end < start:
        return None
    try:
        data = json.loads(text[start:end + 1])
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def canned_answer(body: dict) -> str:
    """Default content builder: a deterministic JSON answer for the request's data."""
    data = extract_data(body)
    if data is None:
        return json.dumps({"error": "no data"})
    if "job_title" in data:
        title = str(data["job_title"])
        field, task = classify_title(title)
        if (field, task) == FALLBACK_FIELD:
            # No shared template for unknown titles, so they scatter like real odd titles do.
            return json.dumps({"description": f"Works as {title}."}, ensure_ascii=False)
        # Short, title-led answers: a long shared template would pull every title into a few clusters.
        return json.dumps({"description": f"Works as {title} in {field}."}, ensure_ascii=False)
    if "facts" in data:
        # A faithful rewrite: every number kept.
        return json.dumps({"paragraph": f"In short: {data['facts']}"}, ensure_ascii=False)
    if "terms" in data:
        # A naming question (jobtopics.naming_prompt): the group's two top terms as its proposed name.
        terms = [str(term) for term in data["terms"] or []]
        name = " & ".join(term.title() for term in terms[:2]) or "Misc"
        return json.dumps({"name": name}, ensure_ascii=False)
    return json.dumps({"text": "ok"})


def _error_body(message: str, error_type: str, code: str) -> dict:
    return {"error": {"message": message, "type": error_type, "param": None, "code": code}}


class _HTTPServer(ThreadingHTTPServer):
    # Don't wait for hung handler threads on close; they are daemons and wake on stop anyway.
    block_on_close = False
    fake: FakeLLMServer


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 so clients (httpx) can keep connections alive, as with a real server.
    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet; tests inspect `requests` instead of stderr."""

    @property
    def _route(self) -> str:
        return self.path.split("?", 1)[0].rstrip("/")

    def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        self._send_bytes(status, json.dumps(payload).encode(), headers)

    def _send_bytes(self, status: int, data: bytes, headers: dict[str, str] | None = None,
                    content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        fake = self.server.fake
        if self._route == "/v1/models":
            self._send_json(200, {"object": "list", "data": [
                {"id": fake.model_id, "object": "model", "owned_by": "fake"}]})
        elif self._route == "/health":
            self._send_json(200, {"status": "ok"})
        else:
            self._send_json(404, _error_body(f"no route {self.path}", "invalid_request_error", "not_found"))

    def do_POST(self) -> None:
        fake = self.server.fake
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = None
        is_chat = self._route == "/v1/chat/completions"
        # Record everything received, even bodies we are about to reject.
        fake._record(body if isinstance(body, dict) else {"_invalid_json": raw.decode("utf-8", "replace")},
                     is_chat=is_chat)
        if not isinstance(body, dict):
            self._send_json(400, _error_body("request body is not a JSON object",
                                             "invalid_request_error", "invalid_json"))
        elif is_chat:
            self._chat(body)
        elif self._route == "/_control/fault":
            self._control_fault(body)
        else:
            self._send_json(404, _error_body(f"no route {self.path}", "invalid_request_error", "not_found"))

    def _control_fault(self, body: dict) -> None:
        options = {k: v for k, v in body.items() if k not in ("fault", "times")}
        try:
            self.server.fake.inject(str(body.get("fault")), int(body.get("times", 1)), **options)
        except (ValueError, TypeError) as error:
            self._send_json(400, _error_body(str(error), "invalid_request_error", "bad_fault"))
            return
        self._send_json(200, {"queued": self.server.fake.pending_faults()})

    def _chat(self, body: dict) -> None:
        fake = self.server.fake
        fault = fake._next_fault()
        name = fault[0] if fault else None
        options = fault[1] if fault else {}
        try:
            if name == "400":  # e.g. an endpoint that does not know a response_format
                self._send_json(400, _error_body("response_format is not supported by this server.",
                                                 "invalid_request_error", "unsupported_parameter"))
            elif name == "401":  # a gateway that checks the key on chat requests only
                self._send_json(401, _error_body("Incorrect API key provided.", "invalid_request_error",
                                                 "invalid_api_key"))
            elif name == "429":
                self._send_json(429, _error_body("Rate limit reached; please retry later.",
                                                 "rate_limit_error", "rate_limit_exceeded"),
                                headers={"Retry-After": str(options.get("retry_after", 1))})
            elif name == "500":
                self._send_json(500, _error_body("The server had an error processing your request.",
                                                 "server_error", "internal_error"))
            elif name == "503":
                self._send_json(503, _error_body("The server is overloaded.", "server_error", "overloaded"))
            elif name == "malformed":
                self._send_bytes(200, MALFORMED_BODY)
            elif name == "html":  # a proxy's error page, sent as a web page
                self._send_bytes(200, b"<html><body>Bad gateway</body></html>", content_type="text/html")
            elif name == "truncated":
                self._send_truncated(fake._completion(body, fake.responder(body)))
            elif name == "garbage":
                self._send_json(200, fake._completion(body, GARBAGE_CONTENT))
            else:
                if name in FAULT_DEFAULT_SECONDS:  # hang / slow: delay, then answer normally
                    # Waiting on the stop event (not time.sleep) lets stop() end a hang at once.
                    fake._stopping.wait(float(options.get("seconds", FAULT_DEFAULT_SECONDS[name])))
                self._answer(body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (e.g. its timeout fired during a hang); nothing to answer.
            self.close_connection = True

    def _send_truncated(self, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data) + 100))  # promise more than we send
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.close_connection = True

    def _answer(self, body: dict) -> None:
        fake = self.server.fake
        # Only normal processing occupies a slot, so a hung request never starves the others.
        with fake._slots:
            if fake.latency:
                fake._stopping.wait(fake.latency)
            payload = fake._completion(body, fake.responder(body))
        data = extract_data(body)
        # Count before sending: a client that has read its answer must already see it counted.
        if data is not None and "job_title" in data:
            fake._served(str(data["job_title"]))
        self._send_json(200, payload)


class FakeLLMServer:
    """OpenAI-compatible chat-completions server on 127.0.0.1, serving in a daemon thread.

    The port is bound in the constructor (so `base_url` is known at once); serving starts
    with `start()` or on entering the context manager.
    """

    def __init__(
        self,
        *,
        port: int = 0,
        model_id: str = "fake-model",
        responder: Callable[[dict], str] | None = None,
        latency: float = 0.0,
        max_parallel: int | None = None,
        log_path: str | os.PathLike[str] | None = None,
    ) -> None:
        self.model_id = model_id
        self.latency = latency
        self.responder = responder or canned_answer
        self.log_path = Path(log_path) if log_path is not None else None
        self.requests: list[dict] = []  # every POST body received, in order
        self.chat_requests: list[dict] = []  # the chat-completion subset of `requests`
        self.served_titles: collections.Counter[str] = collections.Counter()
        self.report_usage = True
        self._lock = threading.Lock()
        self._faults: collections.deque[tuple[str, dict[str, Any]]] = collections.deque()
        self._completion_ids = 0
        self._slots: contextlib.AbstractContextManager[Any] = (
            threading.BoundedSemaphore(max_parallel) if max_parallel else contextlib.nullcontext())
        self._stopping = threading.Event()
        self._httpd = _HTTPServer(("127.0.0.1", port), _Handler)
        self._httpd.fake = self
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def request_count(self) -> int:
        """Number of chat-completion requests received (faulted ones included)."""
        with self._lock:
            return len(self.chat_requests)

    def start(self) -> FakeLLMServer:
        if self._thread is None:
            # A short poll interval keeps stop() fast (shutdown waits up to one interval).
            self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,),
                                            name="fake-llm-server", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port; wakes any request sleeping in a hang or delay."""
        self._stopping.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def inject(self, fault: str, times: int = 1, **kw: Any) -> None:
        """Queue `fault` for the next `times` chat requests.

        kw: `retry_after` (for "429") or `seconds` (for "hang" and "slow").
        """
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; expected one of {', '.join(FAULTS)}")
        if times < 0:
            raise ValueError("times must be >= 0")
        with self._lock:
            self._faults.extend((fault, dict(kw)) for _ in range(times))

    def pending_faults(self) -> int:
        with self._lock:
            return len(self._faults)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _next_fault(self) -> tuple[str, dict[str, Any]] | None:
        with self._lock:
            return self._faults.popleft() if self._faults else None

    def _record(self, body: dict, *, is_chat: bool) -> None:
        with self._lock:
            self.requests.append(body)
            if is_chat:
                self.chat_requests.append(body)
                # The log holds what the client asked the LLM, so control calls stay out of it.
                if self.log_path is not None:
                    with self.log_path.open("a", encoding="utf-8") as log:
                        log.write(json.dumps(body, ensure_ascii=False) + "\n")

    def _served(self, title: str) -> None:
        with self._lock:
            self.served_titles[title] += 1

    def _completion(self, body: dict, content: str) -> dict:
        with self._lock:
            self._completion_ids += 1
            completion_id = f"chatcmpl-fake-{self._completion_ids}"
        messages = body.get("messages") if isinstance(body.get("messages"), list) else []
        prompt_tokens = len("".join(_message_text(m) for m in messages if isinstance(m, dict))) // 4
        completion_tokens = len(content) // 4
        usage = {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                 "total_tokens": prompt_tokens + completion_tokens}
        return {
            "id": completion_id,
            "object": "chat.completion",
            "created": CREATED,
            "model": body.get("model", self.model_id),
            "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "logprobs": None,
                "finish_reason": "stop",
            }],
            # Some servers leave usage out (report_usage = False plays one).
            **({"usage": usage} if self.report_usage else {}),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the fake OpenAI chat-completions server.")
    parser.add_argument("--port", type=int, default=0, help="port to bind (0 = pick a free one)")
    parser.add_argument("--port-file", type=Path, help="write the bound port here once listening")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every chat answer")
    parser.add_argument("--max-parallel", type=int, help="process at most this many chat requests at once")
    parser.add_argument("--log", type=Path, help="append each chat request body here as a JSON line")
    args = parser.parse_args(argv)

    stop_requested = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop_requested.set())

    server = FakeLLMServer(port=args.port, latency=args.latency, max_parallel=args.max_parallel,
                           log_path=args.log)
    with server:
        if args.port_file is not None:
            # Write-then-rename so a poller never reads a half-written port number.
            tmp = args.port_file.with_name(args.port_file.name + ".tmp")
            tmp.write_text(f"{server.port}\n")
            tmp.replace(args.port_file)
        stop_requested.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
