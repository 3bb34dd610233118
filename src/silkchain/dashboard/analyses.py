"""Belt and Road answers and scenarios in the dashboard (placeholder while wiring)."""

from __future__ import annotations

from typing import Any

ANSWERS: list[dict[str, Any]] = []


def scenario_form() -> dict[str, Any]:
    return {"unavailable": "not wired yet", "fields": [], "intro": ""}


def register_analyses(app: Any, jobs: Any, bri_model: Any, scenario_model: Any) -> None:
    return None
