"""Each quality check against a table of (msgid, msgstr, language, expected) cases.

``expected`` is ``""`` when the translation must pass, else the severity the check must
report (``error`` or ``warning``). Sources are English, as in the sample project;
translations are Azerbaijani, Georgian and Russian.
"""

from __future__ import annotations

import pytest

from pipeline.checks.problem import Context
from pipeline.checks.run import MESSAGE_CHECKS as CHECKS
from pipeline.checks.run import check_message

NBSP = "\u00a0"
Case = tuple[str, str, str, str]

CASES: dict[str, list[Case]] = {
    "link-count": [
        ("See [the docs](/docs).", "[Sənədlərə](/docs) baxın.", "az", ""),
        ("Read <https://example.com>.", "Читайте <https://example.com>.", "ru", ""),
        ("See [the docs](/docs).", "Смотрите [документацию] (/docs).", "ru", "error"),
        ("![Map](map.png) of Khojaly", "Xocalının xəritəsi", "az", "error"),
        ("See [docs][ref].", "იხილეთ დოკუმენტაცია.", "ka", "error"),
    ],
    "link-target": [
        ("See [the docs](/docs).", "[Sənədlərə](/docs) baxın.", "az", ""),
        ("[a](/a) and [b](/b)", "[ბ](/b) და [ა](/a)", "ka", ""),
        ("[site](https://example.com/en/)", "[сайт](https://example.com/ru/)", "ru", ""),
        ("[site](https://news.example.com/en/)", "[sayt](https://news.example.com/az/)", "az", ""),
        ("[docs](/en/docs)", "[документы](/ru/docs)", "ru", "error"),
        ("[site](https://example.com/en/)", "[sayt](https://example.org/az/)", "az", "error"),
        ("[site](https://other.org/en/)", "[საიტი](https://other.org/ka/)", "ka", "error"),
        ("See [docs][ref].", "Bax [sənədlər][reff].", "az", "error"),
        ("![Map](map.png)", "![Карта](map.jpg)", "ru", "error"),
    ],
    "footnote": [
        ("Khojaly[^1] was attacked.", "Xocalı[^1] hücuma məruz qalıb.", "az", ""),
        ("Khojaly[^1].", "Ходжалы[^2].", "ru", "error"),
        ("A note[^note].", "შენიშვნა.", "ka", "error"),
    ],
    "code-span": [
        ("Run `pipeline check`.", "Выполните `pipeline check`.", "ru", ""),
        ("Use ``a `b` c``.", "Istifadə edin: ``a `b` c``.", "az", ""),
        ("Run `pipeline check`.", "`pipeline yoxla` işlədin.", "az", "error"),
        ("Run `x` now.", "Выполните `x сейчас.", "ru", "error"),
        ("Run it.", "`გაუშვით`.", "ka", "error"),
    ],
    "emphasis": [
        ("a **bold** claim", "**qalın** iddia", "az", ""),
        ("2 * 3 = 6", "2 * 3 = 6", "ru", ""),
        ("the file_name field", "ველი file_name", "ka", ""),
        ("5 \\* 3", "5 \\*3", "az", ""),
        ("a **bold** claim", "a **жирное утверждение", "ru", "error"),
        ("*very* sad", "*ძალიან სამწუხარო", "ka", "error"),
        ("**Note:** read", "** Qeyd:** oxuyun", "az", "error"),
    ],
    "html": [
        ("Press <kbd>Enter</kbd>", "Нажмите <kbd>Enter</kbd>", "ru", ""),
        ("Line<br>break", "Sətir<br>sonu", "az", ""),
        ("Press Enter", "<b>Enter</b> basın", "az", "error"),
        ("Press <kbd>Enter</kbd>", "დააჭირეთ <span>Enter</span>", "ka", "error"),
    ],
    "unsafe-html": [
        ("The onion ring", "Луковое кольцо", "ru", ""),
        (
            'Click <button onclick="go()">here</button>',
            'Нажмите <button onclick="go()">здесь</button>',
            "ru",
            "",
        ),
        ("Click here", '<a href="javascript:alert(1)">Bura</a> klikləyin', "az", "error"),
        ("Photo", "<img src=x onerror=alert(1)>", "ru", "error"),
        ("A link", "[ბმული](javascript:alert(1))", "ka", "error"),
        ("Text", "Текст<script>alert(1)</script>", "ru", "error"),
        ("JavaScript: the language", "JavaScript: dil", "az", ""),
        ("Code `<script>` here", "Kod `<script>` burada", "az", ""),
        ("A link", "[ბმული](jav&#x61;script:alert(1))", "ka", "error"),
        ("A link", "[ბმული](java&#9;script:alert(1))", "ka", "error"),
        ("A link", "<JaVaScRiPt:alert(1)>", "ka", "error"),
        ('Go <a href="/x">there</a>', 'Get <a href="/y">ora</a>', "az", "error"),
        ("Text", "Mətn </div></article>", "az", "error"),
        ("Text", "Mətn <!-- gizli", "az", "error"),
    ],
    "length": [
        ("OK", "Tamam, " * 1000, "az", ""),
        ("Report", "Hesabat " * 1400, "az", "error"),
        ("A sentence of forty characters, roughly.", "söz " * 250, "az", ""),
    ],
    "invisible-chars": [
        ("Report", "Hesabat", "az", ""),
        ("I want", "می\u200cخواهم", "fa", ""),
        ("Version 2", "الإصدار 2\u200f", "ar", ""),
        ("a\u00adb", "a\u00adb", "de", ""),
        ("Report", "Hesabat \u202egnp.exe\u202c", "az", "error"),
        ("Report", "Hesabat &#x202E;gnp.exe", "az", "error"),
        ("Report", "Отчёт\u200b", "ru", "error"),
        ("Report", "Hesabat\u0085", "az", "error"),
        ("Version 2", "Version 2\u200f", "de", "error"),
    ],
    "template-syntax": [
        ("Use {a, b}", "{a, b} istifadə edin", "az", ""),
        ("Write {{ page.title }}", "Напишите {{ page.title }}", "ru", ""),
        ("Hello", "Salam {{ site.secret }}", "az", "error"),
        ("Hello", "Salam {% include x.html %}", "az", "error"),
        ("Hello", "გამარჯობა {{< ref x >}}", "ka", "error"),
        ("Hello", "Salam {{% x %}}", "az", "error"),
    ],
    "numbers": [
        ("won 100,000 votes", "100.000 səs toplayıb", "az", ""),
        ("won 100,000 votes", f"собрала 100{NBSP}000 голосов", "ru", ""),
        ("won 100,000 votes", "100 000 ხმა მოაგროვა", "ka", ""),
        ("won 100,000 votes", "100,000 səs toplayıb", "az", ""),
        ("1.5 million", "1,5 млн", "ru", ""),
        ("Python 3.11", "Python 3.11", "az", ""),
        ("613 people, 20%", "613 ადამიანი, 20%", "ka", ""),
        ("On February 25, 1997", "1997-ci il fevralın 25-də", "az", ""),
        ("On February 25, 1997", "25 февраля 1997 года", "ru", ""),
        ("On February 25, 1997", "1997 წლის 25 თებერვალს", "ka", ""),
        ("on 1997-02-25", "25.02.1997", "ru", ""),
        ("the 25th to 26th February, 1992", "1992 წლის 25-26 თებერვლის", "ka", ""),
        ("Since February 2010", "2010-cu ilin fevralından", "az", ""),
        ("they may 2 times", "они могут дважды", "ru", "warning"),
        ("8 families", "восемь семей", "ru", "warning"),
        ("613 people", "631 nəfər", "az", "error"),
        ("won 100,000 votes", "10.000 səs", "az", "error"),
        ("won 1,500 votes", "1,5 голосов", "ru", "error"),
        ("On February 25, 1997", "26 февраля 1997 года", "ru", "error"),
        ("On February 25, 1997", "1997 წლის 25 მარტს", "ka", "error"),
        ("in May 2008", "2008-ci ilin iyununda", "az", "error"),
    ],
    "whitespace": [
        ("Hello world", "Salam dünya", "az", ""),
        ("one\ntwo", "один\nдва", "ru", ""),
        ("Use `a  b`", "Используйте `a  b`", "ru", ""),
        ("Hello", " Привет", "ru", "error"),
        ("Hello ", "Salam", "az", "error"),
        ("line one\nline two", "ერთი ხაზი ორი ხაზი", "ka", "error"),
        ("Hello world", "Salam  dünya", "az", "error"),
        ("Hello  world", "Salam  dünya", "az", ""),
    ],
    "same-as-source": [
        ("Azerbaijan", "Azərbaycan", "az", ""),
        ("2024", "2024", "ru", ""),
        ("`pipeline check`", "`pipeline check`", "ka", ""),
        ("Azerbaijan", "Azerbaijan", "az", "warning"),
        ("The crime must not go unpunished.", "The crime must not go unpunished.", "ka", "warning"),
    ],
    "punctuation": [
        ("Why?", "Почему?", "ru", ""),
        ("Stop!", "Dayan!", "az", ""),
        ("The end.", "დასასრული.", "ka", ""),
        ("He said “No.”", "Он сказал: «Нет».", "ru", ""),
        ("Justice for Khojaly", "Xocalıya ədalət", "az", ""),
        ("Wait...", "Подождите…", "ru", ""),
        ("Why?", "Niyə.", "az", "warning"),
        ("Title", "Заголовок.", "ru", "warning"),
        ("The end.", "დასასრული", "ka", "warning"),
    ],
}

HOSTS = ("example.com",)


def _cases() -> list[tuple[str, str, str, str, str]]:
    return [(code, *case) for code, cases in CASES.items() for case in cases]


def test_every_check_has_passing_and_failing_cases() -> None:
    assert set(CASES) == set(CHECKS)
    for code, cases in CASES.items():
        assert any(not c[3] for c in cases), code
        assert any(c[3] for c in cases), code


@pytest.mark.parametrize(
    ("code", "msgid", "msgstr", "lang", "expected"),
    _cases(),
    ids=[f"{c[0]}-{c[3]}-{k}" for k, c in enumerate(_cases())],
)
def test_check(code: str, msgid: str, msgstr: str, lang: str, expected: str) -> None:
    ctx = Context("en", lang, HOSTS)
    problems = list(CHECKS[code](msgid, msgstr, ctx))
    assert all(p.code == code for p in problems)
    if not expected:
        assert problems == [], [str(p) for p in problems]
        return
    assert problems, f"{code} let {msgstr!r} pass"
    assert {p.severity for p in problems} == {expected}
    assert all(p.message and p.hint for p in problems)


def test_a_flag_silences_one_check_for_one_entry() -> None:
    ctx = Context("en", "ru")
    assert [p.code for p in check_message("613 people.", "631 человек.", (), ctx)] == ["numbers"]
    assert check_message("613 people.", "631 человек.", ("no-check-numbers",), ctx) == []


def test_blocking_checks_cannot_be_silenced() -> None:
    # The flags come from the .po whose translation they would vouch for.
    flags = ("no-check-unsafe-html", "no-check-html", "no-check-link-count")
    problems = check_message("Photo", "<img src=x onerror=alert(1)>", flags, Context("en", "az"))
    assert {p.code for p in problems} == {"unsafe-html", "html"}


def test_plain_text_messages_are_not_read_as_markdown() -> None:
    ctx = Context("en", "az", markdown=False)
    assert check_message("Use *args", "*args istifadə edin", (), ctx) == []


def test_a_problem_reads_path_line_code_message_then_hint() -> None:
    [problem] = check_message("613 people.", "631 nəfər.", (), Context("en", "az"))
    located = problem.at("locales/az/a.po", 12)
    assert str(located).startswith("locales/az/a.po:12: numbers: 613 is not in the translation")
    assert "\n  hint: " in str(located)
