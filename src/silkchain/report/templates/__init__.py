"""Jinja2 templates and styles of the report (package data)."""
