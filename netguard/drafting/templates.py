"""Follow-up templates (SPEC §3): the catalogue, the recommendation, the sandboxed rendering.

Public API for the CLI and the GUI; the work is done in ``catalog``, ``recommend``,
``sandbox`` and ``render``.
"""

from __future__ import annotations

from netguard.drafting.catalog import TemplateInfo, list_templates
from netguard.drafting.recommend import recommend, template_context
from netguard.drafting.render import Draft, render

SITUATIONS = ("first-followup", "value-followup", "close-the-loop", "reconnect", "cold-intro",
              "give-back")

__all__ = ["SITUATIONS", "Draft", "TemplateInfo", "list_templates", "recommend", "render",
           "template_context"]
