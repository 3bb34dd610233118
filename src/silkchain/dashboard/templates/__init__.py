"""Jinja2 templates, script and styles of the dashboard (package data)."""
