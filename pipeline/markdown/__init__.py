"""Markdown → :class:`~pipeline.markdown.document.Document`: parsing, segments, front matter.

The only home of ``markdown_it``, ``mdit_py_plugins``, ``linkify_it``, ``yaml`` and
``tomlkit`` (enforced by ruff's TID251 in ``pyproject.toml``).
"""
