"""CLI commands for the coding area, added to the ``bolyst`` group by ``register``.

Each is a thin adapter over one library call: ``bolyst code`` → ``bolyst.coding.build.code_corpus`` (or
``bolyst.coding.jsonl.code_jsonl`` with --jsonl), ``bolyst review export|import`` →
``bolyst.coding.review.review_export|review_import``, ``bolyst agreement`` → ``bolyst.coding.agreement.agreement``,
``bolyst model cv|train`` → site/cli/model.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .coding_io import CODING_DIR_OPTION, _fmt, _folders, _model_dir, _open_db
from .llm import llm_options
from .options import DB_OPTION

@click.command()
@DB_OPTION
@CODING_DIR_OPTION
@click.option("--jsonl", "jsonl", type=click.File("r", encoding="utf-8"), default=None, metavar="FILE|-",
              help='Code JSON Lines instead of the corpus: {"id", "text", "lang"} per line in, one result per '
                   "line out on stdout.")
@llm_options
@click.option("--jobs", "-j", type=click.IntRange(1), default=1, show_default=True,
              help="Processes for coding the corpus (e.g. the number of cores); same codings for any number.")
def code(db_path: Path, coding_dir: Path | None, jsonl, jobs: int, **llm) -> None:
    """Code the corpus in the database with the codebook (or code JSON Lines with --jsonl).

    Automatic codings are replaced; human decisions (coding/decisions/*.yaml) are re-read, never
    changed. Prints the coded excerpts per theme. With --jsonl, each output line is
    {"id", "themes": [...], "codes": [{"code", "theme", "rule", "start", "end", "text", "score"}]};
    a bad input line is reported on stderr with its number and the other lines are still coded.

    With --llm-url, a language model at that OpenAI-compatible endpoint codes the excerpts too (coder
    llm:<model>, origin llm, review state unreviewed) and its agreement with the human coders is printed
    per theme and language. Off by default: nothing leaves the machine without --llm-url. Answers are
    cached, so a second run sends nothing; --dry-run prints the request for one excerpt.

    \b
    Example:
      bolyst code --db bolyst.db
      bolyst code --db bolyst.db --jobs 2
      echo '{"id": "q1", "text": "Vi var så ensomme her.", "lang": "nb"}' | bolyst code --jsonl -
      bolyst code --llm-url http://localhost:11434/v1 --llm-model llama3.1 --llm-split test
      BOLYST_LLM_KEY=… bolyst code --llm-url https://api.example.com/v1 --llm-model some-model --dry-run
    """
    folders = _folders(coding_dir)
    if llm["llm_url"]:
        from .llm import make_client

        make_client(llm)  # a bad URL fails here, before any coding
    if jsonl is not None:
        _code_jsonl(folders.coding_dir, jsonl, _model_dir(folders, coding_dir), llm, folders.root)
        return
    from bolyst.coding.build import code_corpus, theme_counts

    db = _open_db(db_path)
    if llm["llm_url"] and llm["dry_run"]:
        from .llm import code_corpus_llm

        code_corpus_llm(db, folders, llm, folders.root)
        return
    click.echo(f"Coding the excerpts in {db_path} with {folders.coding_dir / 'codebook.yaml'} …", err=True)
    from .progress import Progress

    with db.conn, Progress("koding / coding") as step:
        counts = code_corpus(db, folders.coding_dir, folders.decisions_dirs, jobs=jobs, progress=step)
    click.echo(", ".join(f"{v} {k}" for k, v in counts.items()))
    click.echo(f"{'theme':<10} {'excerpts (auto)':>16} {'codings (auto)':>15} {'excerpts (model)':>17} "
               f"{'excerpts (human)':>17}")
    for row in theme_counts(db):
        click.echo(f"{row['theme']:<10} {row['auto_excerpts']:>16} {row['auto_codings']:>15} "
                   f"{row['model_excerpts']:>17} {row['human_excerpts']:>17}")
    if llm["llm_url"]:
        from .llm import code_corpus_llm

        code_corpus_llm(db, folders, llm, folders.root)


def _code_jsonl(coding_dir: Path, stream, model_dir: Path, llm: dict, root: Path | None) -> None:
    from bolyst.coding.build import CODEBOOK, cached_nlp
    from bolyst.coding.codebook import load_codebook
    from bolyst.coding.jsonl import code_jsonl
    from bolyst.coding.suggest import load_model

    nlp = cached_nlp(load_codebook(coding_dir / CODEBOOK))
    model = load_model(model_dir) or load_model()  # the project's own model, else the shipped one
    name = "<stdin>" if stream.name == "<stdin>" else stream.name
    failed = 0
    lines = list(stream)
    results = list(code_jsonl(nlp, lines, name, model))
    llm_codes: dict[str, list[dict]] = {}
    if llm["llm_url"]:
        from bolyst.coding.jsonl import parse_line

        from .llm import dry_run, llm_jsonl_codes

        texts = [parse_line(lines[r.line - 1], r.line, name)[0] for r in results if r.output]
        if llm["dry_run"]:
            dry_run(nlp.codebook, texts)
            return
        llm_codes = llm_jsonl_codes(nlp.codebook, texts, llm, root)
    for result in results:
        if result.error:
            failed += 1
            click.echo(f"Error: {result.error}", err=True)
        else:
            output = dict(result.output)
            if llm["llm_url"]:
                extra = llm_codes.get(str(output["id"]), [])
                output["codes"] = output["codes"] + extra
                output["themes"] = sorted(set(output["themes"]) | {c["theme"] for c in extra})
            click.echo(json.dumps(output, ensure_ascii=False))
    if failed:
        click.echo(f"{failed} line(s) had errors; the others were coded.", err=True)
        sys.exit(1)


@click.command()
@DB_OPTION
@click.option("--units", type=click.Choice(["corpus", "decided"]), default="corpus", show_default=True,
              help="Excerpts a human coder has coded: the whole corpus (no decision = no code), or only "
                   "those with a decision in their file (for coders who reviewed part of the corpus).")
def agreement(db_path: Path, units: str) -> None:
    """Compute and store agreement between coders; print it per theme, split and language.

    Cohen's κ for each pair of coders ('auto' is the codebook rules, 'model' the trained
    suggester, 'combined' the two together as `bolyst code` suggests), Krippendorff's α across all
    coders, and each automatic coder's precision / recall / F1 against each human, per code and
    theme, on each split (seed documents: training, heldout; development set: dev, test) and per
    language (nb, nn, en) for the themes. The summary first: κ on the test and held-out splits
    against the reference coding. Stored in agreement_kappa, agreement_alpha and agreement_scores.
    A build computes them with --units corpus.

    \b
    Example:
      bolyst agreement --db bolyst.db
      bolyst agreement --units decided
    """
    from bolyst.coding.agreement import agreement as compute

    db = _open_db(db_path)
    with db.conn:
        tables = compute(db, units)
    click.echo(format_theme_agreement(tables))


def format_theme_agreement(tables: dict[str, list[dict]]) -> str:
    """Plain-text tables: the summary per language, then every theme-level row (κ, P/R/F1), then α."""
    pairs = [r for r in tables["agreement_kappa"] if r["level"] == "theme"]
    width = max([28] + [len(r["coder_a"]) + len(r["coder_b"]) + 3 for r in pairs])
    lines = format_summary(pairs)
    lines.append(f"{'split':<9} {'lang':<4} {'theme':<8} {'coders':<{width}} {'n':>4} {'κ':>6} {'P':>6} {'R':>6} "
                 f"{'F1':>6}")
    scores = {(r["split"], r["lang"], r["code"], r["auto_coder"], r["coder"]): r for r in tables["agreement_scores"]}
    for r in pairs:
        s = scores.get((r["split"], r["lang"], r["code"], r["coder_a"], r["coder_b"]))
        lines.append(f"{r['split']:<9} {r['lang']:<4} {r['code']:<8} {r['coder_a'] + ' × ' + r['coder_b']:<{width}} "
                     f"{r['n_units']:>4} {_fmt(r['kappa']):>6} {_fmt(s and s['precision']):>6} "
                     f"{_fmt(s and s['recall']):>6} {_fmt(s and s['f1']):>6}")
    lines.append("")
    lines.append(f"{'split':<9} {'lang':<4} {'theme':<8} {'n':>4} {'α':>6}  coders")
    for r in tables["agreement_alpha"]:
        if r["level"] == "theme":
            lines.append(f"{r['split']:<9} {r['lang']:<4} {r['code']:<8} {r['n_units']:>4} {_fmt(r['alpha']):>6}  "
                         f"{r['coders']}")
    if not pairs:
        return "No coder to compare with yet: add human decisions in coding/decisions/ (bolyst review import)."
    return "\n".join(lines)


#: The summary's comparisons: per split, the reference coder and the second human coder to compare with it.
SUMMARY = (("test", "devset-reconciled", "devset-coder-a", "devset-coder-b"),
           ("heldout", "lead-researcher", "lead-researcher", "second-coder"))
THEMES = ("push", "pull", "stay", "retain")


def format_summary(pairs: list[dict]) -> list[str]:
    """Theme κ per language on the measuring splits: each automatic coder against the reference, and two
    humans against each other (the ceiling to read the coders against)."""
    kappa = {(r["split"], r["lang"], r["code"], r["coder_a"], r["coder_b"]): r["kappa"] for r in pairs}
    lines = []
    for split, reference, human_a, human_b in SUMMARY:
        rows = [(f"{auto} × {reference}", auto, reference) for auto in ("auto", "model", "combined")]
        rows.append((f"{human_a} × {human_b}", human_a, human_b))
        found = [(label, a, b) for label, a, b in rows if (split, "all", "push", a, b) in kappa]
        if not found:
            continue
        lines.append(f"κ per theme on the {split} split ({', '.join(THEMES)}; mean):")
        for lang in ("all", "nb", "nn", "en"):
            for label, a, b in found:
                values = [kappa.get((split, lang, t, a, b)) for t in THEMES]
                if all(v is None for v in values):
                    continue
                defined = [v for v in values if v is not None]  # a theme nobody applied has no κ
                lines.append(f"  {lang:<4} {label:<40} " + " ".join(f"{_fmt(v):>6}" for v in values)
                             + f"   mean {_fmt(sum(defined) / len(defined) if defined else None)}")
        lines.append("")
    return lines


def register(group: click.Group) -> None:
    """Add this area's commands to ``group``."""
    from .model import model
    from .review import review
    group.add_command(code)
    group.add_command(review)  # site/cli/review.py
    group.add_command(agreement)
    group.add_command(model)
