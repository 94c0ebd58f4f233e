"""The one place mail-derived text is escaped before it becomes Qt rich text.

Names, subjects and addresses come from mail and are attacker-controlled: a subject such as
``<img src=...>`` must show as text. Every label that renders HTML builds it through here.
"""

from __future__ import annotations

import html


def esc(value: object) -> str:
    """``value`` as text that is safe inside rich text (quotes included)."""
    return html.escape(str(value), quote=True)


def paragraph(text: str, *, css_class: str = "") -> str:
    """An escaped paragraph; ``text`` is plain text."""
    cls = f' class="{esc(css_class)}"' if css_class else ""
    return f"<p{cls}>{esc(text)}</p>"


def link(href: str, text: str) -> str:
    return f'<a href="{esc(href)}">{esc(text)}</a>'
