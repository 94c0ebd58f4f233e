"""`netguard report`: contacts with their state, and findings."""

from __future__ import annotations

from typing import Any

from netguard.cli.pending import not_yet


def register(sub: Any) -> None:
    parser = sub.add_parser("report", help="whom you pester and whom you neglect")
    parser.add_argument("--at", help="reference time, ISO 8601 (default: now)")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=not_yet)
