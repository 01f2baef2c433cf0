"""Shared test helpers: a project built in ``tmp_path``, and golden regeneration."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.config import Config, load


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-goldens",
        action="store_true",
        help="rewrite the expected files of tests/golden/* from the current code",
    )


@pytest.fixture
def regen(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-goldens"))


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # POT-Creation-Date comes from SOURCE_DATE_EPOCH when set: goldens stay stable.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772064000")  # 2026-02-26 00:00 UTC


MakeProject = Callable[..., Config]


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Build a project: ``articles`` maps paths under source/ to text or bytes.

    Unless ``extra`` sets a publication policy, the project publishes every article
    whatever its completeness (``publish_min_complete = 0``, and no ``required_fields``
    unless ``extra`` names some), so that tests of other things see every output; tests
    of the policy set their own."""

    def make(
        articles: dict[str, str | bytes] | None = None,
        languages: tuple[str, ...] = ("az",),
        extra: str = "",
    ) -> Config:
        langs = ", ".join(f'"{code}"' for code in languages)
        policy = ""
        if "publish_" not in extra:
            policy = "publish_min_complete = 0\n"
            if "required_fields" not in extra:
                policy += "required_fields = []\n"
        (tmp_path / "pipeline.toml").write_text(f"languages = [{langs}]\n{policy}{extra}", "utf-8")
        for rel, text in (articles or {}).items():
            path = tmp_path / "source" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_bytes(text.encode("utf-8"))
        (tmp_path / "source").mkdir(exist_ok=True)
        return load(tmp_path)

    return make
