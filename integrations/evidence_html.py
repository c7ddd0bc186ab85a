"""The one-page HTML page of a trainee's evidence (content.worklists.evidence), printable for a portfolio."""

from __future__ import annotations

from collections import defaultdict
from html import escape

from content.base import utcnow
from content.worklists.evidence import Evidence, EvidenceRow

_STYLE = (
    "body{font:13px/1.4 sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}"
    "td,th{border:1px solid #999;padding:2px 6px;text-align:left}@page{size:A4}"
)


def _table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _worklists(rows: list[EvidenceRow]) -> list[list[str]]:
    grouped: dict[tuple[str, str], list[EvidenceRow]] = defaultdict(list)
    for r in rows:
        grouped[(r.worklist, r.completed.date().isoformat())].append(r)
    out = []
    for (title, completed), items in grouped.items():
        scores = [r.score for r in items if r.score is not None]
        rapid = [r.rapid_correct for r in items if r.rapid_correct is not None]
        codes = sorted({c for r in items for c in r.curriculum_codes})
        out.append(
            [
                title,
                items[0].mode,
                completed,
                str(len(items)),
                f"{sum(scores) / len(scores):.1f}" if scores else "-",
                f"{sum(rapid)}/{len(rapid)}" if rapid else "-",
                " ".join(codes),
            ]
        )
    return out


def to_html(ev: Evidence) -> str:
    p = ev.progress
    summary = [
        ["Cases assigned", str(p.assigned_count)],
        ["Cases reported", str(p.reported_count)],
        ["Overdue", str(p.overdue_count)],
        ["Mean long-case score (1-8)", "-" if p.mean_score is None else f"{p.mean_score:.1f}"],
        ["Rapid-reporting accuracy", "-" if p.rapid_accuracy is None else f"{p.rapid_accuracy:.0%}"],
    ]
    covered = [
        [n.code, n.title, str(n.reported_count), str(n.validated_case_count)] for n in p.coverage if n.reported_count
    ]
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        f"<title>Reporting evidence: {escape(ev.trainee.display_name)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>Reporting evidence: {escape(ev.trainee.display_name)}</h1>"
        f"<p>Generated {escape(utcnow().strftime('%Y-%m-%d %H:%M UTC'))} by Lightbox.</p>"
        + _table(["", ""], summary)
        + "<h2>Completed worklists</h2>"
        + _table(
            ["Worklist", "Mode", "Completed", "Cases", "Mean score", "Rapid correct", "Curriculum"], _worklists(ev.rows)
        )
        + "<h2>Curriculum coverage</h2>"
        + _table(["Code", "Node", "Reported", "Validated cases in archive"], covered)
        + "</body></html>"
    )
