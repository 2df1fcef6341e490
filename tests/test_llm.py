"""The optional language-model coder against a fake OpenAI-compatible endpoint (a local HTTP server thread).

The fake server is synthetic test scaffolding: it answers by simple rules written here, not a real model.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlite_utils
from bolyst.coding.codebook import load_codebook
from bolyst.coding.coder import Text
from bolyst.coding.llm.cache import AnswerCache
from bolyst.coding.llm.client import ChatClient, LlmError
from bolyst.coding.llm.prompt import SCHEMA
from bolyst.coding.llm.run import code_texts
from bolyst.corpus.project import SHIPPED_CODING
from bolyst.site.cli.main import cli
from click.testing import CliRunner

BOOK = load_codebook(SHIPPED_CODING / "codebook.yaml")
SECRET = "sk-test-0123456789-not-a-real-key"
LONELY = Text("t/lonely", "Vi var så ensomme her, og derfor flyttet vi til byen.", "nb")
JOBS = Text("t/jobs", "Det finnes ingen jobber her for meg.", "nb")


def excerpts_of(body: dict) -> list[dict]:
    user = body["messages"][-1]["content"]
    return json.loads(user.split("\n", 1)[1])


def sensible(excerpt: dict) -> list[dict]:
    """The fake model's rule: loneliness where 'ensom' occurs, quoting the sentence's first words."""
    text = excerpt["text"]
    if "ensom" in text:
        return [{"code": "push.loneliness", "span": text[:21], "rationale": "Says they were lonely."}]
    return []


class Fake:
    """A chat-completions server; ``answer(excerpts) -> content string``; ``delay`` seconds on the first n calls."""

    def __init__(self, answer=None, delays: tuple[float, ...] = ()):
        self.answer = answer or (lambda items: json.dumps(
            {"excerpts": [{"id": e["id"], "codes": sensible(e)} for e in items]}))
        self.delays = list(delays)
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                fake.headers.append(dict(self.headers))
                if fake.delays:
                    time.sleep(fake.delays.pop(0))
                content = fake.answer(excerpts_of(body))
                data = json.dumps({"model": body["model"], "choices": [
                    {"message": {"role": "assistant", "content": content}}]}).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def client(fake: Fake, **kw) -> ChatClient:
    return ChatClient(fake.url, "fake", api_key=kw.pop("api_key", None), backoff=0.01, **kw)


def test_valid_answer_becomes_unreviewed_llm_codings_with_span_and_rationale(tmp_path):
    with Fake() as fake:
        run = code_texts(BOOK, [LONELY, JOBS], client(fake), AnswerCache(tmp_path), batch=5)
    assert len(fake.requests) == 1  # one batch
    request = fake.requests[0]
    assert request["response_format"]["json_schema"]["schema"] == SCHEMA and request["temperature"] == 0
    assert "push.loneliness" in request["messages"][0]["content"]  # the codebook's definitions travel along
    assert [(c.excerpt, c.code, c.theme, c.origin, c.coder, c.text) for c in run.codings] == [
        ("t/lonely", "push.loneliness", "push", "llm", "llm:fake", "Vi var så ensomme her")]
    assert LONELY.text[run.codings[0].start:run.codings[0].end] == "Vi var så ensomme her"
    assert run.rationale == {"llm:fake:push.loneliness@t/lonely": "Says they were lonely."}
    assert [a["excerpt"] for a in run.answers] == ["t/lonely", "t/jobs"] and not run.errors


def test_malformed_json_is_an_error_for_the_batch_and_is_not_cached(tmp_path):
    with Fake(answer=lambda items: "{not json") as fake:
        run = code_texts(BOOK, [LONELY], client(fake), AnswerCache(tmp_path))
        again = code_texts(BOOK, [LONELY], client(fake), AnswerCache(tmp_path))
    assert run.codings == [] and run.not_coded == ["t/lonely"]
    assert run.errors == ["t/lonely: the answer is not JSON (Expecting property name enclosed in double quotes "
                          "at column 2)"]
    assert len(fake.requests) == 2 and again.cache_hits == 0  # asked again: a bad answer is never cached


def test_unknown_code_is_an_error_not_a_coding_and_a_span_not_in_the_text_is_dropped(tmp_path):
    def answer(items):
        return json.dumps({"excerpts": [{"id": "t/lonely", "codes": [
            {"code": "push.nonesuch", "span": "ensomme", "rationale": "x"},
            {"code": "push.loneliness", "span": "we were so lonely", "rationale": "invented span"},
            {"code": "push", "span": "flyttet vi til byen", "rationale": "moved away"}]}]})

    with Fake(answer=answer) as fake:
        run = code_texts(BOOK, [LONELY], client(fake), AnswerCache(tmp_path))
    assert [(c.code, c.text) for c in run.codings] == [("push", "flyttet vi til byen")]
    assert run.errors == ["t/lonely: unknown code 'push.nonesuch'"]
    assert run.warnings == ["t/lonely: push.loneliness: span 'we were so lonely' is not in the text; dropped"]
    assert run.answers[0]["errors"] == ("unknown code 'push.nonesuch'; push.loneliness: span 'we were so lonely' "
                                        "is not in the text; dropped")


def test_timeout_is_retried_with_backoff(tmp_path):
    slept = []
    with Fake(delays=(1.5,)) as fake:
        run = code_texts(BOOK, [LONELY], client(fake, timeout=0.5, sleep=slept.append), AnswerCache(tmp_path))
    assert len(fake.requests) == 2 and slept == [0.01]
    assert [c.code for c in run.codings] == ["push.loneliness"] and run.requests == 2


def test_an_endpoint_that_keeps_failing_is_a_clear_error_and_nothing_is_lost(tmp_path):
    slept = []
    with Fake(delays=(1.0, 1.0, 1.0)) as fake:
        run = code_texts(BOOK, [LONELY, JOBS], client(fake, timeout=0.2, retries=2, sleep=slept.append),
                         AnswerCache(tmp_path), batch=1)
    assert slept == [0.01, 0.02]  # doubling backoff
    assert run.not_coded == ["t/lonely", "t/jobs"] and "no answer within 0.2 s" in run.errors[0]
    with pytest.raises(LlmError, match="cannot reach the server"):
        ChatClient("http://127.0.0.1:9/v1", "fake", retries=0).complete({"model": "fake"})


def test_second_run_is_answered_from_the_cache_without_a_request(tmp_path):
    with Fake() as fake:
        first = code_texts(BOOK, [LONELY, JOBS], client(fake), AnswerCache(tmp_path))
        second = code_texts(BOOK, [LONELY, JOBS], client(fake), AnswerCache(tmp_path))
        other_model = code_texts(BOOK, [LONELY], ChatClient(fake.url, "other", backoff=0.01), AnswerCache(tmp_path))
    assert len(fake.requests) == 2  # the first run and the other model; none for the second run
    assert second.cache_hits == 2 and second.requests == 0
    assert [(c.excerpt, c.code, c.text) for c in second.codings] == [(c.excerpt, c.code, c.text) for c in first.codings]
    assert other_model.cache_hits == 0


@pytest.fixture()
def kb_copy(built_db_path, tmp_path) -> Path:
    path = tmp_path / "bolyst.db"
    shutil.copy(built_db_path, path)
    return path


def test_cli_codes_the_corpus_stores_llm_codings_reports_agreement_and_never_stores_the_key(kb_copy, tmp_path,
                                                                                            monkeypatch):
    monkeypatch.setenv("BOLYST_LLM_KEY", SECRET)
    cache = tmp_path / "cache"
    args = ["code", "--db", str(kb_copy), "--llm-url", "", "--llm-model", "fake", "--llm-split", "test",
            "--llm-cache", str(cache), "--llm-batch", "10", "--yes"]
    with Fake() as fake:
        args[4] = fake.url
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        sent = len(fake.requests)
        again = CliRunner().invoke(cli, args)
        assert again.exit_code == 0 and len(fake.requests) == sent  # all from the cache
    assert {h["Authorization"] for h in fake.headers} == {f"Bearer {SECRET}"}
    db = sqlite_utils.Database(kb_copy)
    n_test = db.execute("select count(*) from excerpt_splits where split = 'test'").fetchone()[0]
    assert db["llm_answers"].count == n_test
    rows = db.execute("select distinct coder, origin from codings where origin = 'llm'").fetchall()
    assert rows == [("llm:fake", "llm")]
    states = {r[0] for r in db.execute("select review_state from codings where origin = 'llm'")}
    assert states <= {"unreviewed", "confirmed", "rejected"} and "unreviewed" in states
    langs = {r[0] for r in db.execute("select distinct lang from agreement_kappa where coder_a = 'llm:fake' "
                                      "and level = 'theme'")}
    assert {"all", "nb"} <= langs
    assert "Agreement of llm:fake with the human coders" in result.output
    for lang in ("all", "nb", "nn", "en"):  # per theme and language, against the reference like any coder
        assert re.search(rf"^  test +× devset-reconciled +{lang} +n=\d+ +push (-?\d\.\d\d|–)/", result.output,
                         re.MULTILINE), lang
    assert f"{n_test} excerpts coded" in result.output
    for text in (result.output, again.output):
        assert SECRET not in text
    assert SECRET.encode() not in kb_copy.read_bytes()
    assert all(SECRET not in p.read_text() for p in cache.rglob("*.json"))


def test_dry_run_prints_the_prompt_and_sends_nothing(kb_copy):
    with Fake() as fake:
        result = CliRunner().invoke(cli, ["code", "--db", str(kb_copy), "--llm-url", fake.url, "--dry-run"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["messages"][0]["role"] == "system" and len(excerpts_of(body)) == 1
    assert fake.requests == []


def test_jsonl_with_llm_adds_the_models_codes(tmp_path):
    line = json.dumps({"id": "q1", "text": LONELY.text, "lang": "nb"}, ensure_ascii=False)
    with Fake() as fake:
        result = CliRunner().invoke(cli, ["code", "--jsonl", "-", "--llm-url", fake.url, "--llm-model", "fake",
                                          "--llm-cache", str(tmp_path)], input=line + "\n")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout.strip().splitlines()[-1])
    llm = [c for c in out["codes"] if c["origin"] == "llm"]
    assert llm == [{"code": "push.loneliness", "theme": "push", "origin": "llm", "coder": "llm:fake", "start": 0,
                    "end": 21, "text": "Vi var så ensomme her", "rationale": "Says they were lonely.",
                    "review_state": "unreviewed"}]
