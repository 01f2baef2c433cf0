"""Catalogs: ``.po``/``.pot`` reading and writing, templates, updates, matching, merge driver.

The only home of ``polib`` and ``rapidfuzz`` (enforced by ruff's TID251).
"""
