"""The front-matter policy: what ``merge`` does with each key of a localized article's
front matter (the ``front_matter`` setting, ``[front_matter]`` in ``pipeline.toml``).

::

    [front_matter]
    title = "translate"                 # a msgid, as if listed in front_matter_keys
    category = "keep"                   # copied as is (every key not named here)
    lang = { set = "{lang}" }           # replaced, or added at the end
    translationKey = { set = "{path}" } # Hugo links translations by this key
    slug = { slug = "title" }           # a URL slug from the localized title

A nested table names dotted keys (``seo = { title = "translate" }`` is ``seo.title``),
except a table whose only key is ``set`` or ``slug``: that one is a rule. Parsing and
validation only; ``publish/front_matter.py`` applies the policy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from pipeline.errors import ConfigError
from pipeline.layout import PLACEHOLDERS

SETTING = "front_matter"
"""The setting's name, as errors say it."""


class Action(Enum):
    """What happens to one front-matter key in every target language."""

    TRANSLATE = "translate"
    """Its string values are messages (``front_matter_keys``)."""
    KEEP = "keep"
    """Copied as is: the default of every key."""
    SET = "set"
    """Replaced by a template's expansion, or added when absent."""
    SLUG = "slug"
    """Replaced by (or added as) a URL slug of another key's localized value."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One key's entry in the policy."""

    key: str
    """The key: a dotted path (``seo.title``, ``faq.*.answer``) for ``TRANSLATE`` and
    ``KEEP``; a top-level bare key (letters, digits, ``_``, ``-``) for ``SET`` and
    ``SLUG``."""
    action: Action
    """What happens to it."""
    argument: str = ""
    """``SET``: the template (``{lang}``, ``{path}``, ``{dir}``, ``{stem}``,
    ``{suffix}``, as in ``output_path``); ``SLUG``: the key path whose localized string
    the slug is made from (``title``); empty otherwise."""


@dataclass(frozen=True, slots=True)
class FrontMatterPolicy:
    """The validated ``front_matter`` setting (empty: every key kept, as before)."""

    rules: tuple[Rule, ...] = ()
    """The rules in the order the setting lists them (``SET`` and ``SLUG`` are applied
    in this order; at most one ``SLUG``)."""

    def keys(self, action: Action) -> tuple[str, ...]:
        """The keys whose rule is ``action``, in order."""
        return tuple(rule.key for rule in self.rules if rule.action is action)

    @property
    def edits(self) -> tuple[Rule, ...]:
        """The ``SET`` and ``SLUG`` rules: what changes a localized article's front
        matter beyond translation (empty: ``merge`` need not look at it)."""
        return tuple(r for r in self.rules if r.action in {Action.SET, Action.SLUG})


NO_POLICY = FrontMatterPolicy()
"""The default: every key kept, ``front_matter_keys`` translated."""

_BARE_KEY_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
"""A key that needs no quotes in YAML or TOML, so it can be written as is."""
_FIELD_RE = re.compile(r"\{([^{}]*)\}")
_EXAMPLE = 'for example: [front_matter] title = "translate", lang = { set = "{lang}" }'


def parse_policy(value: object, where: str | None) -> FrontMatterPolicy:
    """The ``front_matter`` setting's raw value (a TOML table) as a policy.

    ``ConfigError`` (``where``: the settings file) naming ``front_matter`` and the key,
    with a hint, for: a value that is not a table; an action other than ``"translate"``,
    ``"keep"``, ``{ set = "…" }`` or ``{ slug = "KEY" }``; an empty key part; a ``set``
    or ``slug`` rule on a dotted or non-bare key; a template with an unknown placeholder,
    a stray brace or a line break; a slug source with ``*``; two rules for one key;
    more than one ``slug`` rule.
    """
    if not isinstance(value, Mapping):
        raise ConfigError(
            f"setting '{SETTING}' must be a table of key = policy",
            path=where,
            hint=_EXAMPLE,
        )
    rules: dict[str, Rule] = {}
    for rule in _rules(value, (), where):
        if rule.key in rules:
            raise _error(rule.key, "has two rules", where, "keep one of them")
        rules[rule.key] = rule
    slugs = [r.key for r in rules.values() if r.action is Action.SLUG]
    if len(slugs) > 1:
        raise _error(
            slugs[1], f"is a second slug rule (after '{slugs[0]}')", where, "keep one slug key"
        )
    return FrontMatterPolicy(tuple(rules.values()))


def translated_keys(
    policy: FrontMatterPolicy, front_matter_keys: Sequence[str], *, default: bool, where: str | None
) -> tuple[str, ...]:
    """``front_matter_keys`` with the policy's ``translate`` keys added (in order, once).

    A key the policy keeps, sets or slugs is dropped from ``front_matter_keys`` when that
    list is the ``default``; when the user wrote it, naming the key in both is a
    ``ConfigError`` (one key cannot be both translated and kept or set).
    """
    others = {r.key: r.action for r in policy.rules if r.action is not Action.TRANSLATE}
    kept: list[str] = []
    for key in front_matter_keys:
        action = others.get(key)
        if action is None:
            kept.append(key)
        elif not default:
            raise _error(
                key,
                f'is "{action.value}" here but also listed in front_matter_keys',
                where,
                f"remove '{key}' from front_matter_keys, or make it \"translate\" here",
            )
    return tuple(dict.fromkeys([*kept, *policy.keys(Action.TRANSLATE)]))


def _rules(table: Mapping[object, object], at: tuple[str, ...], where: str | None) -> list[Rule]:
    out: list[Rule] = []
    for name, value in table.items():
        parts = (*at, str(name))
        key = ".".join(parts)
        if not str(name):
            raise _error(key, "has an empty key", where, "name each key, e.g. seo.title")
        if isinstance(value, str):
            out.append(_word(key, value, where))
        elif isinstance(value, Mapping) and set(value) & {"set", "slug"}:
            out.append(_edit(key, value, where))
        elif isinstance(value, Mapping) and value:
            out.extend(_rules(value, parts, where))
        else:
            raise _error(key, f"has the policy {value!r}", where, _EXAMPLE)
    return out


def _word(key: str, value: str, where: str | None) -> Rule:
    if value in {Action.SET.value, Action.SLUG.value}:
        raise _error(
            key,
            f'= "{value}" needs a value',
            where,
            f'write {{ set = "{{lang}}" }} or {{ slug = "title" }}, not "{value}"',
        )
    if value not in {Action.TRANSLATE.value, Action.KEEP.value}:
        raise _error(key, f"has the policy '{value}'", where, _EXAMPLE)
    return Rule(key, Action(value))


def _edit(key: str, value: Mapping[object, object], where: str | None) -> Rule:
    name = next(iter(value))
    argument = value[name]
    if len(value) != 1 or not isinstance(argument, str):
        raise _error(
            key,
            f"has the policy {dict(value)!r}",
            where,
            'write one of { set = "TEMPLATE" } or { slug = "KEY" }, with a string',
        )
    if not _BARE_KEY_RE.fullmatch(key):
        raise _error(
            key,
            f"cannot be {name}: only a top-level key of letters, digits, _ and - can",
            where,
            f"{name} a top-level key such as lang, translationKey or slug",
        )
    if name == "slug":
        if not argument or any(p in {"", "*"} for p in argument.split(".")):
            raise _error(
                key,
                f"has the slug source '{argument}', which names no single value",
                where,
                'name the key whose localized text the slug is made from: { slug = "title" }',
            )
        return Rule(key, Action.SLUG, argument)
    names = _FIELD_RE.findall(argument)
    unknown = [n for n in names if n not in PLACEHOLDERS]
    known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
    if unknown:
        raise _error(
            key, f"uses '{{{unknown[0]}}}', which is not a placeholder", where, f"use {known}"
        )
    bare = _FIELD_RE.sub("", argument)
    if "{" in bare or "}" in bare:
        raise _error(key, "has a brace that opens or closes no placeholder", where, f"use {known}")
    if re.search(r"[\x00-\x1f\x7f]", argument):
        raise _error(key, "has a line break or control character", where, "set a one-line value")
    return Rule(key, Action.SET, argument)


def _error(key: str, what: str, where: str | None, hint: str) -> ConfigError:
    return ConfigError(f"setting '{SETTING}': '{key}' {what}", path=where, hint=hint)
