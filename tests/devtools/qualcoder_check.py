"""`make check-qualcoder`: Bolyst's .qdpx through the real QualCoder, and QualCoder's export back into Bolyst.

Needs ../shared/tools/qualcoder-check set up as its README says (QualCoder's source and its virtual
environment). Steps, each reported:

1. export the built database as .qdpx, human codings only, and again with ``--include-automatic``;
2. import each into QualCoder (``qualcoder_import.py --xsd``): every coding present (the .qdpx's codings
   minus the case links, which QualCoder stores as case text), the share highlighted exactly on screen,
   the coders, the current coder, the cases and their links;
3. export each again with QualCoder's own REFI-QDA export and ``bolyst import`` it twice into a copy of
   the shipped corpus and coding folders: matched / added / unplaced, automatic codings skipped (they stay
   automatic), decisions appended (none expected), then no change.

Exit 1 when a criterion of issue 13 fails (below 99 % exact highlights, a coding or case missing, an
automatic or «default» current coder, or the way back adds anything).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import sqlite_utils
from bolyst.site.build import PACKAGE_DIRS
from bolyst.site.qda.export import export_qdpx
from bolyst.site.qda.importer import import_qdpx

ROOT = Path(__file__).resolve().parents[2]
XSD = ROOT / "site" / "qda" / "refi-qda" / "Project.xsd"


def run_check(check: Path, qdpx: Path, *extra: str) -> dict:
    """The check's report, plus the coders QualCoder stored (codings per owner, from its database)."""
    done = subprocess.run([sys.executable, str(check), str(qdpx), "--xsd", str(XSD), "--timeout", "900", "--keep",
                           *extra], capture_output=True, text=True)
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        return {"import_completed": False, "error": done.stderr[-2000:]}
    kept = report.get("harness", {}).get("temp_dir")
    if kept:
        for data in Path(kept).glob("work/*.qda/data.qda"):
            owners = sqlite_utils.Database(data).execute("select owner, count(*) from code_text group by owner")
            report["owners"] = dict(owners.fetchall())
        shutil.rmtree(kept, ignore_errors=True)
    return report


def expected_owners(path: Path) -> dict[str, int]:
    """Codings per coder as the .qdpx declares them (case links left out)."""
    from bolyst.site.qda.read import read_qdpx

    project = read_qdpx(path)
    names, cases, count = {u.guid: u.name for u in project.users}, {c.guid for c in project.cases}, {}
    for source in project.sources:
        for sel in source.selections:
            for coding in sel.codings:
                if coding.code not in cases:
                    count[names[sel.user]] = count.get(names[sel.user], 0) + 1
    return count


def summary(report: dict, export, owners: dict[str, int]) -> tuple[dict, list[str]]:
    items = report.get("text_codings", {}).get("items", [])
    rows = report.get("other_rows", {})
    exact = sum(1 for c in items if c.get("qt_view_highlight_equals_seltext"))
    users = report.get("refi_parse", {}).get("users", [])
    figures = {
        "qdpx_codings": export.codings, "qdpx_case_links": export.case_links, "qualcoder_text_codings": len(items),
        "codings_ok": sum(1 for c in items if c.get("ok")), "highlighted_exactly": exact,
        "highlighted_exactly_pct": round(100 * exact / len(items), 2) if items else None,
        "codings_per_coder": report.get("owners"), "codings_per_coder_in_bolyst": owners,
        "current_coder": users[0] if users else None, "exported_users": list(export.users),
        "cases": rows.get("cases"), "qdpx_cases": export.cases, "case_text": rows.get("case_text"),
        "annotations": rows.get("annotation"), "case_attributes": rows.get("attribute"),
        "schema_valid": report.get("schema_validation", {}).get("valid"),
        "qualcoder_problems": report.get("qualcoder_problems", []),
        "seconds": report.get("harness", {}).get("seconds"),
    }
    failed = []
    if len(items) != export.codings:
        failed.append(f"QualCoder holds {len(items)} text codings, the .qdpx {export.codings}")
    if not items or exact / len(items) < 0.99:
        failed.append(f"only {exact} of {len(items)} codings highlighted exactly")
    if report.get("owners") != owners:
        failed.append(f"coders differ: QualCoder {report.get('owners')}, Bolyst {owners}")
    if figures["current_coder"] in (None, "default") or str(figures["current_coder"]).startswith("Bolyst"):
        failed.append(f"current coder is {figures['current_coder']!r}")
    if (rows.get("cases"), rows.get("case_text")) != (export.cases, export.case_links):
        failed.append(f"cases {rows.get('cases')} / case text {rows.get('case_text')}, "
                      f"expected {export.cases} / {export.case_links}")
    return figures, failed


def way_back(qdpx: Path, work: Path) -> tuple[dict, list[str]]:
    corpus, coding = work / "corpus", work / "coding"
    shutil.copytree(PACKAGE_DIRS["corpus"], corpus, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    shutil.copytree(PACKAGE_DIRS["coding"], coding, ignore=shutil.ignore_patterns("*.py", "__pycache__", "model"))
    runs = [import_qdpx(qdpx, corpus, coding) for _ in range(2)]
    figures = {f"run_{i + 1}": {"matched": r.matched, "added_excerpts": r.excerpts, "unplaced": r.unplaced,
                                "new_sources": len(r.new_sources), "automatic_skipped": r.automatic,
                                "decisions_appended": {c: n for c, n in r.decisions.items() if n},
                                "problems": [str(p) for p in r.problems], "unchanged": r.unchanged}
               for i, r in enumerate(runs)}
    failed = [f"run {i + 1} of the way back changed the project" for i, r in enumerate(runs) if not r.unchanged]
    failed += [f"way back: {p}" for r in runs for p in r.problems]
    return figures, failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="a built database")
    parser.add_argument("--check", type=Path, required=True, help="qualcoder_import.py of ../shared/tools")
    parser.add_argument("--out", type=Path, default=None, help="write the full JSON here as well")
    args = parser.parse_args()
    db = sqlite_utils.Database(args.db)
    result, failed = {}, []
    with tempfile.TemporaryDirectory(prefix="bolyst-qc-") as tmp:
        work = Path(tmp)
        for label, automatic in (("human", False), ("with_automatic", True)):
            path = work / f"bolyst-{label}.qdpx"
            print(f"… exporting {path.name} and importing it into QualCoder", file=sys.stderr)
            export = export_qdpx(db, path, include_automatic=automatic)
            back = work / f"from-qualcoder-{label}.qdpx"
            figures, problems = summary(run_check(args.check, path, "--export-qdpx", str(back)), export,
                                        expected_owners(path))
            result[label], failed = figures, failed + [f"{label}: {p}" for p in problems]
            if back.exists():
                print("… importing QualCoder's own export back into a copy of the shipped project", file=sys.stderr)
                result[label]["way_back"], problems = way_back(back, work / f"project-{label}")
                failed += [f"{label}: {p}" for p in problems]
            else:
                failed.append(f"{label}: QualCoder wrote no export")
    result["failed"] = failed
    text = json.dumps(result, ensure_ascii=False, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
