"""Translate Markdown articles through gettext catalogs, and rebuild them byte-faithfully."""

__version__ = "0.1.0"
