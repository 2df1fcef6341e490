"""The optional language-model coder on the command line: ``bolyst code --llm-url …`` (and with --jsonl).

Off by default: nothing leaves the machine unless --llm-url is given. The key is read from the environment
variable named by --llm-key-env (default BOLYST_LLM_KEY) and is never printed, logged or stored.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

LARGE_RUN = 200  # uncached excerpts above which the user confirms the estimate (or passes --yes)
LLM_OPTIONS = (
    click.option("--llm-url", default=None, metavar="URL",
                 help="Also code with a language model at this OpenAI-compatible endpoint, e.g. "
                      "http://localhost:11434/v1 (Ollama) or http://localhost:8080/v1 (llama.cpp). Off by default."),
    click.option("--llm-model", default="local", show_default=True, help="Model name sent to the endpoint; the "
                 "codings' coder is llm:<model>."),
    click.option("--llm-key-env", default="BOLYST_LLM_KEY", show_default=True, metavar="VAR",
                 help="Environment variable holding the API key (never stored or printed)."),
    click.option("--llm-batch", type=click.IntRange(1, 50), default=5, show_default=True,
                 help="Excerpts per request."),
    click.option("--llm-timeout", type=click.FloatRange(0.1), default=120.0, show_default=True,
                 help="Seconds to wait for one answer before retrying."),
    click.option("--llm-retries", type=click.IntRange(0, 10), default=3, show_default=True,
                 help="Retries of a failed request, with doubling backoff."),
    click.option("--llm-split", type=click.Choice(["training", "heldout", "dev", "test"]), default=None,
                 help="Only excerpts of this split (e.g. test, to measure the model before a full run)."),
    click.option("--llm-price", type=float, default=None, metavar="PER_MILLION",
                 help="Price per million prompt tokens, for the cost estimate printed before the run."),
    click.option("--llm-cache", type=click.Path(file_okay=False, path_type=Path), default=None,
                 help="Answer cache folder (default: <project>/cache/llm or ~/.cache/bolyst/llm)."),
    click.option("--dry-run", is_flag=True, help="Print the request for the first excerpt and send nothing."),
    click.option("--yes", is_flag=True, help=f"Do not ask before sending more than {LARGE_RUN} excerpts."),
)


def llm_options(command):
    for option in reversed(LLM_OPTIONS):
        command = option(command)
    return command


def make_client(opts: dict):
    from bolyst.coding.llm.client import ChatClient

    return ChatClient(opts["llm_url"], opts["llm_model"], api_key=os.environ.get(opts["llm_key_env"]) or None,
                      timeout=opts["llm_timeout"], retries=opts["llm_retries"])


def cache_for(opts: dict, root: Path | None):
    from bolyst.coding.llm.cache import AnswerCache, default_folder

    return AnswerCache(opts["llm_cache"] or default_folder(root))


def dry_run(book, texts) -> None:
    from bolyst.coding.llm.prompt import request_body

    if not texts:
        raise click.ClickException("no excerpt to code")
    click.echo(json.dumps(request_body("<model>", book, texts[:1]), ensure_ascii=False, indent=2))


def estimate(book, texts, cache, opts: dict) -> int:
    """Print what the run will send; returns the uncached count."""
    from bolyst.coding.llm.prompt import cache_key, codebook_version, estimate_tokens

    version = codebook_version(book)
    todo = [t for t in texts if cache.get(cache_key(t, version, opts["llm_model"])) is None]
    cache.hits = 0
    tokens = estimate_tokens(book, todo, opts["llm_batch"])
    requests = -(-len(todo) // opts["llm_batch"])
    cost = f", about {tokens / 1e6 * opts['llm_price']:.2f} at {opts['llm_price']:g} per million" \
        if opts["llm_price"] is not None else ""
    click.echo(f"Language model llm:{opts['llm_model']}: {len(texts)} excerpts, {len(texts) - len(todo)} cached, "
               f"{len(todo)} to send in {requests} request(s); about {tokens:,} prompt tokens{cost}. "
               f"Time: about {requests} × the server's time per request (shown after the first).", err=True)
    if len(todo) > LARGE_RUN and not opts["yes"]:
        click.confirm(f"Send {len(todo)} excerpts to {opts['llm_url']}?", abort=True, err=True)
    return len(todo)


def progress(done: int, total: int, seconds: float) -> None:
    left = seconds / done * (total - done) if done else 0
    click.echo(f"  {done}/{total} excerpts sent, {seconds:.0f} s, about {left:.0f} s left", err=True)


def report(run) -> None:
    for line in run.errors[:20]:
        click.echo(f"  error: {line}", err=True)
    for line in run.warnings[:20]:
        click.echo(f"  warning: {line}", err=True)
    more = len(run.errors) + len(run.warnings) - min(len(run.errors), 20) - min(len(run.warnings), 20)
    if more > 0:
        click.echo(f"  … and {more} more (table llm_answers, column errors)", err=True)
    click.echo(f"{run.coder}: {len(run.answers)} excerpts coded ({run.cache_hits} from the cache, "
               f"{run.requests} request(s)), {len(run.codings)} codings (unreviewed), {len(run.errors)} error(s), "
               f"{len(run.warnings)} warning(s), {len(run.not_coded)} not coded.", err=True)


def code_corpus_llm(db, folders, opts: dict, root: Path | None) -> None:
    """Code the database's excerpts with the language model, store them, recompute agreement."""
    from bolyst.coding.agreement import agreement
    from bolyst.coding.build import CODEBOOK, read_db_excerpts
    from bolyst.coding.codebook import load_codebook
    from bolyst.coding.llm.run import code_texts, save_run

    book = load_codebook(folders.coding_dir / CODEBOOK)
    texts = read_db_excerpts(db)
    if opts["llm_split"]:
        wanted = {r["excerpt"] for r in db.query("select excerpt from excerpt_splits where split = ?",
                                                 [opts["llm_split"]])}
        texts = [t for t in texts if t.id in wanted]
    if opts["dry_run"]:
        dry_run(book, texts)
        return
    cache = cache_for(opts, root)
    estimate(book, texts, cache, opts)
    run = code_texts(book, texts, make_client(opts), cache, opts["llm_batch"], progress)
    with db.conn:
        save_run(db, book, run)
        agreement(db)
    report(run)
    print_llm_agreement(db, run.coder)


def print_llm_agreement(db, coder: str) -> None:
    """κ and F1 of the language model against each human coder per theme and language, on the excerpts it read."""
    rows = list(db.query("""select s.split, s.lang, s.code, s.coder, s.n_units, k.kappa, s.f1 from agreement_scores s
        left join agreement_kappa k on k.level = s.level and k.code = s.code and k.split = s.split and k.lang = s.lang
          and k.coder_a = s.auto_coder and k.coder_b = s.coder
        where s.level = 'theme' and s.auto_coder = ? and s.split in ('test', 'heldout', 'all')
        order by s.split, s.coder, s.lang, (select position from codes where id = s.code)""", [coder]))
    if not rows:
        click.echo(f"No human coding overlaps the excerpts {coder} read yet: no agreement to report.")
        return
    click.echo(f"Agreement of {coder} with the human coders, per theme (κ / F1) and language, over the excerpts "
               "it read (tables agreement_kappa, agreement_scores):")
    lines: dict[tuple, list[str]] = {}
    for r in rows:
        kappa = "–" if r["kappa"] is None else f"{r['kappa']:.2f}"
        f1 = "–" if r["f1"] is None else f"{r['f1']:.2f}"
        key = (r["split"], r["coder"], r["lang"], r["n_units"])
        lines.setdefault(key, []).append(f"{r['code']} {kappa}/{f1}")
    for (split, human, lang, n), cells in lines.items():
        click.echo(f"  {split:<8} × {human:<20} {lang:<4} n={n:<4} " + "  ".join(cells))


def llm_jsonl_codes(book, texts, opts: dict, root: Path | None) -> dict[str, list[dict]]:
    """Per text id, the language model's codes as `bolyst code --jsonl` prints them."""
    from bolyst.coding.llm.run import code_texts

    run = code_texts(book, texts, make_client(opts), cache_for(opts, root), opts["llm_batch"], progress)
    report(run)
    out: dict[str, list[dict]] = {}
    for c in run.codings:
        out.setdefault(c.excerpt, []).append({
            "code": c.code, "theme": c.theme, "origin": "llm", "coder": run.coder, "start": c.start, "end": c.end,
            "text": c.text, "rationale": run.rationale.get(f"{run.coder}:{c.code}@{c.excerpt}"),
            "review_state": "unreviewed"})
    return out
