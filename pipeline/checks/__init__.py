"""Checks: message, catalog and article checks in one registry → ``Problem``s.

The only home of ``justhtml`` (in :mod:`pipeline.checks.safety`).
"""
