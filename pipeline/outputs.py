"""The output folders ``merge`` keeps: which files it wrote there (a manifest per
language and folder), which it may remove, and which it must not touch.

Only a file a manifest lists, that the layout names for that language and whose bytes
are still the ones recorded, is ever removed; a file merge did not write beside the
articles is never overwritten. Functions here never print.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath

from pipeline.config import Config
from pipeline.files import (
    digest,
    manifest_text,
    read_manifest,
    read_regular,
    read_text_if_exists,
    regular_files,
    remove_generated,
    write_atomic,
)
from pipeline.results import Action, FileResult
from pipeline.site import SiteResult, site_file_language
from pipeline.workspace import Workspace

__all__ = [
    "foreign_outputs",
    "output_rel",
    "pages_by_language",
    "remove_stale",
    "sync_folder",
    "sync_pages",
]


def _digest_is(sha: str) -> Callable[[bytes], bool]:
    return lambda data: digest(data) == sha


def foreign_outputs(ws: Workspace) -> dict[Path, tuple[str, ...]]:
    """Where ``output_path`` writes beside the articles (Hugo's ``storm.az.md``): the
    languages whose output file of an article is already there but listed in no
    manifest of merge's (an editor's own translation): merge must not overwrite it."""
    config = ws.config
    source = config.source_dir.resolve()
    found: dict[Path, list[str]] = {}
    for lang in ws.languages:
        root = config.output_root(lang).resolve()
        if not (root.is_relative_to(source) or source.is_relative_to(root)):
            continue  # merge's own folder: every file there is merge's
        manifest = config.manifest_path(lang)
        listed = read_manifest(manifest, config.rel(manifest)) or {}
        for article in ws.articles:
            rel = output_rel(config, lang, article)
            if rel not in listed and (config.output_root(lang) / rel).exists():
                found.setdefault(article, []).append(lang)
    return {article: tuple(langs) for article, langs in found.items()}


def pages_by_language(
    config: Config, site: SiteResult | None, languages: Sequence[str]
) -> dict[tuple[str, str], dict[str, str]]:
    """``site.pages`` (root → file → SHA-256) split by the language each file is for:
    languages that share a folder keep a manifest each, and claim only their own."""
    split: dict[tuple[str, str], dict[str, str]] = {}
    for root, files in (site.pages if site else {}).items():
        for rel, sha in files.items():
            lang = site_file_language(config, config.root / root / rel, languages)
            if lang is not None:
                split.setdefault((lang, root), {})[rel] = sha
    return split


def output_rel(config: Config, lang: str, article: Path) -> str:
    """Where ``article`` in ``lang`` is written, relative to ``Config.output_root``."""
    path = config.output_pattern.expand(lang, PurePosixPath(article.as_posix()))
    root = config.output_pattern.root(lang)
    return path[len(root) + 1 :] if root else path


def remove_stale(
    ws: Workspace,
    lang: str,
    *,
    produced: dict[str, dict[str, str]],
    withheld: set[str],
    pages: dict[str, str],
    stale: list[str],
    kept: list[FileResult],
    decided: bool,
    check: bool,
) -> FileResult | None:
    """Remove the files of ``lang`` (under ``Config.output_root``) that ``merge`` wrote
    and no article produces any more, or that the publication policy now withholds
    (``withheld``), and bring the language's manifest up to date (``check``: only
    compare). ``pages``: the HTML files ``build_site`` wrote in the same folder (path →
    SHA-256), listed in the same manifest. See ``sync_folder``."""
    config = ws.config
    made = {**produced.get(lang, {}), **pages}
    wanted = {output_rel(config, lang, a) for a in ws.all_articles} - withheld | set(pages)
    top = config.output_pattern.root(lang)
    folder = config.output_root(lang)

    def ours(rel: str) -> bool:
        if config.output_pattern.language_of(f"{top}/{rel}" if top else rel, (lang,)) == lang:
            return True
        return config.html and site_file_language(config, folder / rel, (lang,)) == lang

    return sync_folder(
        ws,
        config.output_root(lang),
        config.manifest_path(lang),
        wanted=wanted,
        made=made,
        ours=ours,
        stale=stale,
        kept=kept,
        decided=decided,
        check=check,
    )


def sync_folder(
    ws: Workspace,
    folder: Path,
    manifest: Path,
    *,
    wanted: set[str],
    made: dict[str, str],
    ours: Callable[[str], bool],
    stale: list[str],
    kept: list[FileResult],
    decided: bool,
    check: bool,
) -> FileResult | None:
    """Bring ``folder``'s manifest up to date with the files ``merge`` made there
    (``made``: path relative to the folder → SHA-256) and remove what it made before
    and nothing makes now (``wanted``: every file this run may make there; ``check``:
    only compare).

    The manifest lists each file ``merge`` wrote there with its SHA-256. A listed file
    that is not wanted is removed (added to ``stale``) only when ``decided`` (every
    article was read) and while its bytes are the ones recorded; anything else (a
    hand-written file, a folder, a symbolic link, an edited file) is left alone and
    added to ``kept``. A wanted file not made this run keeps its line. Without a
    manifest (a first run) nothing is removed: the files that look stale and that
    ``ours`` recognises are only listed in ``kept``. Returns what happened to the
    manifest, or None when there is none to write.
    """
    config = ws.config
    previous = read_manifest(manifest, config.rel(manifest))
    entries: dict[str, str] = {}
    for rel in sorted(wanted):
        if rel not in made:
            if previous and rel in previous:
                entries[rel] = previous[rel]  # not rebuilt this run: keep the claim
            continue
        sha = made[rel] if not check else ws.signature(f"{folder}/{rel}")
        if sha is None:
            continue  # --check: not written yet
        if len(sha) != len(digest(b"")):
            read_regular(folder / rel, config.rel(folder / rel))  # raises what it is
        entries[rel] = sha
    if previous is None:
        for found in regular_files(folder) if decided else ():
            rel = found.as_posix()
            if rel not in wanted and ours(rel):
                kept.append(
                    FileResult(
                        config.rel(folder / found),
                        Action.KEPT,
                        f"no {manifest.name} yet, so merge cannot tell it wrote this file",
                    )
                )
    else:
        for rel, sha in sorted(previous.items()):
            if rel in wanted:
                continue
            if not ours(rel):
                # a manifest is a text file anyone can edit: it never makes merge delete
                # what merge does not write there (an article beside Hugo's storm.az.md)
                kept.append(
                    FileResult(
                        config.rel(folder / rel),
                        Action.KEPT,
                        f"{manifest.name} lists it, but it is no file merge writes there",
                    )
                )
                continue
            if not decided:
                entries[rel] = sha
                continue
            done = remove_generated(folder, PurePosixPath(rel), _digest_is(sha), dry_run=check)
            if done.removed:
                stale.append(config.rel(folder / rel))
            elif done.reason:
                kept.append(FileResult(config.rel(folder / rel), Action.KEPT, done.reason))
    if previous is None and not entries:
        return None
    text = manifest_text(entries)
    shown = config.rel(manifest)
    on_disk = read_text_if_exists(manifest, shown)
    if on_disk == text:
        return FileResult(shown, Action.UNCHANGED)
    if not check:
        write_atomic(manifest, text, shown)
    return FileResult(shown, Action.CREATED if on_disk is None else Action.UPDATED)


def sync_pages(
    ws: Workspace,
    lang: str,
    made: dict[str, str],
    *,
    stale: list[str],
    kept: list[FileResult],
    decided: bool,
    check: bool,
) -> FileResult | None:
    """``sync_folder`` for the HTML pages of ``lang`` in a folder of their own (not the
    one its localized articles are in): ``made`` is every page, index and feed written
    there (path → SHA-256)."""
    config = ws.config
    folder = config.root / config.html_pattern.root(lang)

    def ours(rel: str) -> bool:
        return site_file_language(config, folder / rel, (lang,)) == lang

    return sync_folder(
        ws,
        folder,
        config.manifest_path(lang, html=True),
        wanted=set(made),
        made=made,
        ours=ours,
        stale=stale,
        kept=kept,
        decided=decided,
        check=check,
    )
