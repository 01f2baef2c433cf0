"""Catalog updates that never lose a translator's work (issue 3, behaviours 1–6).

Each behaviour is tested on ``update_catalog`` directly and through ``extract_project``
on a project in ``tmp_path``, where the ``.po`` diff is what a translator sees.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.catalogs.catalog import Catalog, Entry, catalog_text, parse_catalog, read_catalog
from pipeline.catalogs.matching import CandidatePool
from pipeline.catalogs.template import build_template
from pipeline.catalogs.update import UpdateStats, update_catalog, without_marker
from pipeline.config import Config
from pipeline.locales import language
from pipeline.markdown.segment import segment_document
from pipeline.markdown.sentences import in_sentences, sentences
from pipeline.project import extract_project
from tests.conftest import MakeProject
from tests.gettext_tools import msgcat_no_wrap, msgfmt_check

AZ = language("az")
FLAGS = ("md-text",)

P1 = (
    "Every year on February 26 Azerbaijanis commemorate the victims of the Khojaly "
    "tragedy with vigils, concerts and exhibitions in Baku and abroad."
)
P2 = (
    "The ministry of foreign affairs released a statement calling on the international "
    "community to recognise the events and to bring those responsible to justice."
)
P3 = (
    "Survivors told reporters that the town was shelled for several hours before the "
    "residents tried to escape through the frozen forests toward Aghdam."
)
NEW = (
    "Railway tickets for the summer season go on sale next Monday, the operator said, "
    "with discounts for students and pensioners on night trains."
)


def template(*msgids: str, path: str = "source/a.md") -> Catalog:
    return Catalog(
        header=(("Project-Id-Version", "a"), ("POT-Creation-Date", "2026-02-26 00:00+0000")),
        entries=tuple(
            Entry(msgid, occurrences=((path, str(3 + 2 * n)),), comment="paragraph", flags=FLAGS)
            for n, msgid in enumerate(msgids)
        ),
    )


def translated(catalog: Catalog, translations: dict[str, str]) -> Catalog:
    return replace(
        catalog,
        entries=tuple(
            replace(e, msgstr=translations.get(e.msgid, e.msgstr)) for e in catalog.entries
        ),
    )


def first_po(*msgids: str, translations: dict[str, str] | None = None) -> Catalog:
    po, _ = update_catalog(None, template(*msgids), AZ, FLAGS)
    return translated(po, translations or {})


def entry(catalog: Catalog, msgid: str) -> Entry:
    found = [e for e in catalog.entries if e.msgid == msgid]
    assert len(found) == 1, f"{len(found)} entries for {msgid!r}"
    return found[0]


T = {P1: "Hər il 26 fevral…", P2: "Xarici işlər nazirliyi…", P3: "Sağ qalanlar…"}


# 1. same msgid


def test_same_msgid_keeps_translation_flags_and_comments() -> None:
    po = first_po(P1, P2, translations=T)
    po = replace(
        po,
        entries=(
            replace(po.entries[0], translator_comment="checked with the author"),
            replace(
                po.entries[1], flags=("fuzzy", "md-text", "no-check-links"), previous_msgid="Old"
            ),
        ),
    )
    again, stats = update_catalog(po, template(P1, P2), AZ, FLAGS)
    assert again == replace(po, entries=tuple(replace(e, line=0) for e in po.entries))
    assert entry(again, P2).previous_msgid == "Old"  # an existing fuzzy keeps its #|
    assert stats == UpdateStats(kept=2)
    assert stats.summary() == "no message changes"


# 2. whitespace only


def test_respaced_text_keeps_its_translation_not_fuzzy() -> None:
    po = first_po(P1, P2, translations=T)
    spaced = P1.replace(" the victims", "  the victims").replace("Baku ", "Baku\t")
    updated, stats = update_catalog(po, template(spaced, P2), AZ, FLAGS)
    e = entry(updated, spaced)
    assert e.msgstr == T[P1] and not e.fuzzy and e.previous_msgid is None
    assert not any(x.obsolete for x in updated.entries)
    assert stats.fuzzy == 0 and stats.kept == 2


def test_a_hard_break_is_not_mere_spacing() -> None:
    po = first_po(P1, translations=T)
    broken = P1.replace(" with vigils", "\nwith vigils")
    updated, _ = update_catalog(po, template(broken), AZ, FLAGS)
    assert entry(updated, broken).fuzzy


# 3. edited text


def test_edited_text_carries_the_translation_as_fuzzy_with_previous() -> None:
    po = first_po(P1, P2, P3, translations=T)
    po = replace(
        po, entries=(replace(po.entries[1], translator_comment="term: icma"), *po.entries[2:])
    )
    po = replace(po, entries=(first_po(P1, translations=T).entries[0], *po.entries))
    edited = P2.replace("international", "global")
    updated, stats = update_catalog(po, template(P1, edited, P3), AZ, FLAGS)
    e = entry(updated, edited)
    assert e.fuzzy and e.msgstr == T[P2] and e.previous_msgid == P2
    assert e.translator_comment == "term: icma"
    assert e.flags == ("fuzzy", "md-text")
    assert [x.msgid for x in updated.entries] == [P1, edited, P3]  # in the old one's place
    assert stats == UpdateStats(fuzzy=1, kept=2)
    assert stats.summary() == "1 fuzzy"


def test_a_guess_from_a_guess_keeps_the_text_it_was_made_for() -> None:
    po = first_po(P2, translations=T)
    po = replace(
        po, entries=(replace(po.entries[0], flags=("fuzzy", "md-text"), previous_msgid="Orig"),)
    )
    edited = P2.replace("statement", "communique")
    updated, _ = update_catalog(po, template(edited), AZ, FLAGS)
    assert entry(updated, edited).previous_msgid == "Orig"


def test_a_new_paragraph_gets_no_guess() -> None:
    po = first_po(P1, P2, P3, translations=T)
    updated, stats = update_catalog(po, template(P1, NEW, P2, P3), AZ, FLAGS)
    e = entry(updated, NEW)
    assert e.msgstr == "" and not e.fuzzy and e.previous_msgid is None
    assert stats == UpdateStats(new=1, kept=3)
    assert [x.msgid for x in updated.entries] == [P1, NEW, P2, P3]


def test_same_article_first_then_the_pool() -> None:
    po = first_po(P1, translations=T)
    other = Entry(P3, msgstr="from another article")
    edited = P3.replace("several", "many")
    pool = CandidatePool([other])
    updated, stats = update_catalog(po, template(P1, edited), AZ, FLAGS, pool=pool)
    e = entry(updated, edited)
    assert e.fuzzy and e.msgstr == "from another article" and e.previous_msgid == P3
    assert e.translator_comment == ""
    assert stats.fuzzy == 1
    # with the text in both, this article's old translation wins
    po2 = first_po(P1, P3, translations=T)
    updated, _ = update_catalog(po2, template(P1, edited), AZ, FLAGS, pool=pool)
    assert entry(updated, edited).msgstr == T[P3]


def test_without_a_pool_entries_still_in_use_lend_a_guess() -> None:
    po = first_po(P1, translations=T)
    variant = P1.replace("vigils, concerts", "concerts")
    updated, stats = update_catalog(po, template(P1, variant), AZ, FLAGS)
    assert entry(updated, P1).msgstr == T[P1] and not entry(updated, P1).fuzzy
    assert entry(updated, variant).fuzzy and entry(updated, variant).msgstr == T[P1]
    assert stats == UpdateStats(fuzzy=1, kept=1)


# 4. text that left, and came back


def test_text_that_left_becomes_obsolete_and_returns() -> None:
    po = first_po(P1, P2, P3, translations={P2: T[P2]})
    gone, stats = update_catalog(po, template(P1), AZ, FLAGS)
    assert stats.summary() == "1 obsolete, 1 removed"
    e = entry(gone, P2)
    assert e.obsolete and e.msgstr == T[P2] and e.occurrences == () and e.flags == ()
    back, stats = update_catalog(gone, template(P1, P2), AZ, FLAGS)
    assert not entry(back, P2).obsolete and not entry(back, P2).fuzzy
    assert stats.summary() == "1 revived"
    edited = P2.replace("justice", "court")
    fuzzy_back, stats = update_catalog(gone, template(P1, edited), AZ, FLAGS)
    e = entry(fuzzy_back, edited)
    assert e.fuzzy and e.msgstr == T[P2] and e.previous_msgid == P2
    assert not any(x.obsolete for x in fuzzy_back.entries)
    assert stats.summary() == "1 fuzzy"


# 5. a paragraph that moved


def test_a_moved_paragraph_moves_its_entry() -> None:
    po = first_po(P1, P2, P3, translations=T)
    moved, stats = update_catalog(po, template(P3, P1, P2), AZ, FLAGS)
    assert [e.msgid for e in moved.entries] == [P3, P1, P2]  # the article's order
    assert stats == UpdateStats(kept=3)
    # nothing but the #: lines changed: the same entries, in another order
    assert {replace(e, occurrences=()) for e in moved.entries} == {
        replace(e, occurrences=(), line=0) for e in po.entries
    }


# 6. entries follow the article; the header stays


def test_header_fields_set_by_the_translator_stay_and_entries_follow_the_article() -> None:
    po = first_po(P1, P2, P3, translations=T)
    po = po.with_field("Last-Translator", "Aysel <aysel@example.org>")
    po = po.with_field("Language-Team", "Azerbaijani <az@example.org>").with_field("X-Tool", "1")
    po = replace(po, entries=(po.entries[2], po.entries[0], po.entries[1]))
    edited = P1.replace("abroad", "in Tbilisi")
    gone = Entry("Photo: the memorial in 2019.", "Foto: 2019-cu ildə abidə.", obsolete=True)
    po = replace(po, entries=(gone, *po.entries))
    updated, _ = update_catalog(po, template(edited, P2, NEW, P3), AZ, FLAGS)
    assert updated.field("Last-Translator") == "Aysel <aysel@example.org>"
    assert updated.field("Language-Team") == "Azerbaijani <az@example.org>"
    assert [k for k, _ in updated.header] == [k for k, _ in po.header]
    # as msgmerge does: template order, a new entry where its paragraph stands, the
    # obsolete ones last
    assert [e.msgid for e in updated.entries] == [edited, P2, NEW, P3, gone.msgid]
    again, _ = update_catalog(updated, template(edited, P2, NEW, P3), AZ, FLAGS)
    assert again == updated


def test_update_is_deterministic_and_a_second_run_changes_nothing() -> None:
    po = first_po(P1, P2, P3, translations=T)
    new_template = template(P3.replace("hours", "days"), NEW, P1)
    once, _ = update_catalog(po, new_template, AZ, FLAGS)
    assert update_catalog(po, new_template, AZ, FLAGS)[0] == once
    twice, stats = update_catalog(once, new_template, AZ, FLAGS)
    assert catalog_text(twice) == catalog_text(once)
    assert stats.new == stats.fuzzy == stats.obsoleted == 0


def test_summary_reads_like_the_issue() -> None:
    assert UpdateStats(new=2, fuzzy=3, obsoleted=1).summary() == "2 new, 3 fuzzy, 1 obsolete"


def changed_lines(a: str, b: str) -> set[tuple[str, str]]:
    diff = difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0)
    return {
        (line[0], line[1:])
        for line in diff
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    }


# through extract_project, on files


ARTICLE = f"# Khojaly\n\n{P1}\n\n{P2}\n\n{P3}\n"


def fill(po: Path, translations: dict[str, str]) -> None:
    catalog = read_catalog(po, po.name)
    po.write_text(catalog_text(translated(catalog, translations)), "utf-8")


def extract(config: Config) -> dict[str, str]:
    result = extract_project(config)
    assert not result.errors, result.errors
    return {f.path: f.detail for f in result.files if f.path.endswith(".po")}


def project(make_project: MakeProject) -> tuple[Config, Path, Path]:
    config = make_project({"a.md": ARTICLE})
    extract(config)
    po = config.locales_dir / "az" / "a.po"
    fill(po, {**T, "Khojaly": "Xocalı"})
    return config, config.source_dir / "a.md", po


def test_project_edit_rewrap_move_and_removal(make_project: MakeProject) -> None:
    config, article, po = project(make_project)
    before = po.read_text("utf-8")
    # moved (P3 first) and re-wrapped (P1 over two lines): the entries follow the
    # article, and only their #: lines change
    rewrapped = P1.replace(" commemorate", "\ncommemorate")
    article.write_text(f"# Khojaly\n\n{P3}\n\n{rewrapped}\n\n{P2}\n", "utf-8")
    assert extract(config) == {"locales/az/a.po": "no message changes"}
    after = po.read_text("utf-8")
    assert [e.msgid for e in read_catalog(po, "a.po").entries] == ["Khojaly", P3, P1, P2]
    assert {text for sign, text in changed_lines(before, after) if text.startswith("#:")} <= {
        f"#: source/a.md:{n}" for n in range(1, 12)
    }
    assert sorted(x for x in before.split("\n\n") if "#:" not in x) == sorted(
        x for x in after.split("\n\n") if "#:" not in x
    )
    # edited and removed
    article.write_text(f"# Khojaly\n\n{P3.replace('hours', 'days')}\n\n{NEW}\n\n{P2}\n", "utf-8")
    assert extract(config) == {"locales/az/a.po": "1 new, 1 fuzzy, 1 obsolete"}
    catalog = read_catalog(po, "a.po")
    e = entry(catalog, P3.replace("hours", "days"))
    assert e.fuzzy and e.previous_msgid == P3 and e.msgstr == T[P3]
    assert entry(catalog, P1).obsolete and entry(catalog, P1).msgstr == T[P1]
    assert '#| msgid "Survivors told' in po.read_text("utf-8")
    # a second run changes nothing
    text = po.read_text("utf-8")
    assert extract(config) == {"locales/az/a.po": "no message changes"}
    assert po.read_text("utf-8") == text
    # the removed text returns, edited: revived as fuzzy
    article.write_text(f"# Khojaly\n\n{P1.replace('abroad', 'in Paris')}\n\n{P2}\n", "utf-8")
    assert extract(config)["locales/az/a.po"] == "1 fuzzy, 1 obsolete, 1 removed"
    catalog = read_catalog(po, "a.po")
    assert entry(catalog, P1.replace("abroad", "in Paris")).previous_msgid == P1


def test_project_keeps_translator_comments_and_header(make_project: MakeProject) -> None:
    config, article, po = project(make_project)
    text = po.read_text("utf-8").replace('"Last-Translator: \\n"', '"Last-Translator: Aysel\\n"')
    text = text.replace("#. paragraph", "# note from Aysel\n#. paragraph", 1)
    assert "# note from Aysel" in text
    po.write_text(text, "utf-8")
    article.write_text(ARTICLE.replace("abroad", "in Tbilisi"), "utf-8")
    extract(config)
    catalog = read_catalog(po, "a.po")
    assert catalog.field("Last-Translator") == "Aysel"
    assert entry(catalog, P1.replace("abroad", "in Tbilisi")).translator_comment == (
        "note from Aysel"
    )


# cases as files: tests/fixtures/update/<case>/{a.md, before.po, after.po}

CASES = sorted(p for p in (Path(__file__).parent / "fixtures" / "update").iterdir() if p.is_dir())


def _update(case: Path, before: Catalog) -> Catalog:
    doc = segment_document((case / "a.md").read_text("utf-8"), "source/a.md", ())
    if doc.segment_mode == "sentence":  # the article chose sentence messages
        doc = in_sentences(doc, "en")
    tpl = build_template(doc, "a", FLAGS, None, "2026-02-26 00:00+0000")
    return update_catalog(before, tpl, AZ, FLAGS, split=lambda t: sentences(t, "az")[0])[0]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_update_case(case: Path, regen: bool) -> None:
    before = parse_catalog((case / "before.po").read_bytes(), "before.po")
    text = catalog_text(_update(case, before))
    golden = case / "after.po"
    if regen:
        golden.write_text(text, "utf-8")
    assert text == golden.read_text("utf-8")
    after = parse_catalog(text.encode(), "after.po")
    assert catalog_text(_update(case, after)) == text, "a second update changed the catalog"
    # every translation is still there (its marker left out, where extraction now keeps
    # the marker in the article: update.MARKERS)
    kept = {e.msgstr for e in after.entries} | {e.previous_msgid or "" for e in after.entries}
    lost = [
        e.msgstr
        for e in before.entries
        if e.msgstr and e.msgstr not in kept and without_marker(e.msgstr)[0] not in kept
    ]
    assert not lost, f"translations lost: {lost}"
    checked = msgfmt_check(golden)
    assert checked.returncode == 0, checked.stderr
    # GNU writes it byte for byte the same (#~| lines included), but for the flags it
    # does not know
    assert only_fuzzy(msgcat_no_wrap(golden)) == only_fuzzy(text)


def only_fuzzy(text: str) -> str:
    """``text`` with every flag but ``fuzzy`` taken out."""
    return re.sub(
        r"^#, (.*)\n",
        lambda m: "#, fuzzy\n" if "fuzzy" in m[1].split(", ") else "",
        text,
        flags=re.M,
    )


# 7. any translation that left the template is a candidate, for empty entries too


def test_an_empty_entry_takes_a_translation_that_left_the_template() -> None:
    edited = P2.replace("international", "global")
    po = first_po(P1, edited, P2, translations={P1: T[P1], P2: T[P2]})  # as a merge leaves it
    po = replace(
        po,
        entries=tuple(
            replace(e, translator_comment="ask Aysel") if e.msgid == edited else e
            for e in po.entries
        ),
    )
    updated, stats = update_catalog(po, template(P1, edited), AZ, FLAGS)
    e = entry(updated, edited)
    assert e.fuzzy and e.msgstr == T[P2] and e.previous_msgid == P2
    assert e.translator_comment == "ask Aysel"  # the empty entry's own note stays
    assert P2 not in {x.msgid for x in updated.entries}
    assert stats == UpdateStats(fuzzy=1, kept=1)
    assert update_catalog(updated, template(P1, edited), AZ, FLAGS)[0] == updated


def test_an_empty_entry_beside_an_obsolete_translation_of_its_text_revives_it() -> None:
    po = first_po(P1, P2, translations={P1: T[P1]})
    twin = Entry(P2, T[P2], obsolete=True, translator_comment="from the old site")
    po = replace(
        po,
        entries=(*po.entries[:1], replace(po.entries[1], translator_comment="term: icma"), twin),
    )
    updated, stats = update_catalog(po, template(P1, P2), AZ, FLAGS)
    e = entry(updated, P2)
    assert e.msgstr == T[P2] and not e.fuzzy and not e.obsolete
    assert e.translator_comment == "term: icma\nfrom the old site"
    assert stats == UpdateStats(kept=1, revived=1)


def test_an_empty_entry_draws_only_on_reviewed_translations_of_the_language() -> None:
    po = first_po(P1, P3)  # both untranslated
    edited = P3.replace("several", "many")
    reviewed = Entry(edited.replace("hours", "days"), "başqa məqalədən")
    guess = Entry(P1.replace("abroad", "in Tbilisi"), "təxmin", flags=("fuzzy",))
    updated, stats = update_catalog(
        po, template(P1, P3), AZ, FLAGS, pool=CandidatePool([reviewed, guess])
    )
    assert entry(updated, P3).msgstr == "başqa məqalədən" and entry(updated, P3).fuzzy
    assert entry(updated, P1).msgstr == ""  # a fuzzy guess elsewhere is not lent again
    assert stats == UpdateStats(fuzzy=1, kept=1)
    # without a pool, an empty entry takes nothing from entries still in use
    po = first_po(P1, translations=T)
    variant = P1.replace("vigils, concerts", "concerts")
    po = replace(po, entries=(*po.entries, Entry(variant, occurrences=(("source/a.md", "5"),))))
    updated, _ = update_catalog(po, template(P1, variant), AZ, FLAGS)
    assert entry(updated, variant).msgstr == ""


def test_a_catalog_in_another_order_is_rewritten_once(make_project: MakeProject) -> None:
    config, _, po = project(make_project)
    catalog = read_catalog(po, "a.po")
    po.write_text(catalog_text(replace(catalog, entries=catalog.entries[::-1])), "utf-8")
    check = extract_project(config, check=True)
    assert [f.action for f in check.files if f.path == "locales/az/a.po"] == ["updated"]
    assert extract(config) == {"locales/az/a.po": "no message changes"}
    assert [e.msgid for e in read_catalog(po, "a.po").entries] == ["Khojaly", P1, P2, P3]
    check = extract_project(config, check=True)
    assert [f.action for f in check.files if f.path == "locales/az/a.po"] == ["unchanged"]
