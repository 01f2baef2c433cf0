"""Catalog checks: one ``.po`` judged as a whole (its header, its plural entries, what a
git merge left in it), against the language it is the catalog of."""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.catalogs.catalog import Catalog
from pipeline.catalogs.mergedriver import CONFLICT_NOTE
from pipeline.checks.problem import Problem
from pipeline.locales import language, nplurals, same_plural_forms


def catalog_problems(catalog: Catalog, lang: str) -> Iterator[Problem]:
    """``catalog-header``, ``catalog-plurals`` and ``merge-conflict`` problems of the
    ``lang`` catalog, located at ``catalog.path``."""
    yield from _header(catalog, lang)
    yield from _plurals(catalog, lang)
    yield from _merge_conflicts(catalog)


def _header(catalog: Catalog, lang: str) -> Iterator[Problem]:
    expected = language(lang).plural_forms
    where = catalog.path
    declared = catalog.field("Language")
    if not declared:
        yield Problem(
            "catalog-header",
            "error",
            "the header has no Language field",
            f"add \"Language: {lang}\\n\" to the header ('pipeline extract' does it)",
            where,
            1,
        )
    elif declared.replace("-", "_") != lang:
        yield Problem(
            "catalog-header",
            "error",
            f"the header says Language: {declared}, but the file is the {lang} catalog",
            f"set the header to Language: {lang}, or move the file to its language's folder",
            where,
            1,
        )
    forms = catalog.field("Plural-Forms")
    if not forms or not same_plural_forms(forms, expected):
        found = f"Plural-Forms: {forms}" if forms else "no Plural-Forms field"
        yield Problem(
            "catalog-header",
            "error",
            f"the header has {found}; {lang} needs: {expected.rstrip(';')}",
            "run 'pipeline extract', which writes the right Plural-Forms",
            where,
            1,
        )


def _plurals(catalog: Catalog, lang: str) -> Iterator[Problem]:
    count = nplurals(language(lang).plural_forms) or 0
    for entry in catalog.active:
        if entry.msgid_plural and [k for k, _ in entry.msgstr_plural] != list(range(count)):
            yield Problem(
                "catalog-plurals",
                "error",
                f"a plural entry has {len(entry.msgstr_plural)} msgstr[] forms; {lang} has {count}",
                f"write msgstr[0] to msgstr[{count - 1}]",
                catalog.path,
                entry.line,
            )


def _merge_conflicts(catalog: Catalog) -> Iterator[Problem]:
    """A warning at each entry still holding the note ``pipeline merge-driver`` writes
    when two branches translated it differently (``mergedriver.CONFLICT_NOTE``)."""
    for entry in catalog.entries:
        if CONFLICT_NOTE in entry.translator_comment.split("\n"):
            yield Problem(
                "merge-conflict",
                "warning",
                "a git merge left two translations of this entry (a '# merge conflict' "
                "comment); the one kept is marked fuzzy",
                "review both texts in the comment, keep one as the msgstr, then delete "
                "the comment lines and the fuzzy flag",
                catalog.path,
                entry.line,
            )
