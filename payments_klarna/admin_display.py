"""Small display helpers shared by Klarna's admin pages and the order page's Klarna panel."""

import json

from django.urls import reverse
from django.utils.html import format_html, format_html_join

TRUNCATED_LENGTH = 8


def truncated(token: str | None) -> str:
    """First 8 characters and an ellipsis: enough to tell tokens apart, useless to an attacker."""
    if not token:
        return "—"
    return token[:TRUNCATED_LENGTH] + "…"


def pretty_json(value) -> str:
    if value in (None, "", {}, []):
        return "—"
    return format_html(
        '<pre style="white-space: pre-wrap; max-height: 24em; overflow: auto; margin: 0">{}</pre>',
        json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True),
    )


def api_call_rows(calls) -> str:
    """A small table of API calls, each linking to its detail page."""
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td><a href='{}'>{} {}</a></td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{} ms</td><td>{}</td></tr>",
        (
            (
                call.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                reverse("admin:payments_klarna_klarnaapicall_change", args=[call.pk]),
                call.method,
                call.path,
                call.status or "no answer",
                call.error_code or "",
                call.attempt,
                call.duration_ms,
                call.correlation_id or "",
            )
            for call in calls
        ),
    )
    if not rows:
        return "No API calls recorded."
    return format_html(
        "<table class='klarna-api-calls'><thead><tr><th>time</th><th>call</th><th>status</th>"
        "<th>error</th><th>attempt</th><th>duration</th><th>correlation id</th></tr></thead>"
        "<tbody>{}</tbody></table>",
        rows,
    )
