"""Messages of the ingest pipeline and the store: English text that keeps its template.

This module holds no catalogue, so the store and the ingest code can build messages
without loading every page's texts (:mod:`clv.i18n.catalog` translates them).
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------
# Messages of the ingest pipeline
#
# The ingest code (``clv.ingest``, ``clv.store``) speaks English: its messages go to the
# command line, to logs and to tests as plain strings. A message built with :func:`msg`
# is such a string *and* remembers its template and values, so that the app can show it
# in French with :func:`render`. Rejected-row reasons are stored in the database as text
# and come back as plain strings: :func:`render_reason` translates them.


class Msg(str):
    """A message of the ingest pipeline: its English text, with template and values.

    The string value is the English text, so a ``Msg`` compares, hashes, joins and
    serialises (JSON, DuckDB) exactly like that text.

    Attributes
    ----------
    template : the English template, ``str.format`` syntax with named placeholders.
    params : placeholder name -> value. Values that are ``Msg`` are translated too.
    forms : for a message that depends on a count (:func:`msg_n`), the English
        singular and plural templates; ``None`` otherwise.
    """

    template: str
    params: dict[str, object]
    forms: tuple[str, str] | None

    def __new__(
        cls,
        template: str,
        params: dict[str, object] | None = None,
        forms: tuple[str, str] | None = None,
    ) -> Msg:
        params = dict(params or {})
        self = super().__new__(cls, template.format(**params))
        self.template = template
        self.params = params
        self.forms = forms
        return self

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # str's own pickling would rebuild the English text alone, losing the template.
        return (Msg, (self.template, self.params, self.forms))


def msg(template: str, **params: object) -> Msg:
    """A translatable message: ``template`` filled with ``params`` (English text).

    Parameters
    ----------
    template : English template with named placeholders (``"{name} is empty."``); literal
        braces are doubled, as for ``str.format``. Its French version is
        ``MESSAGES[template]``.
    **params : values of the placeholders.

    Returns
    -------
    Msg, whose string value is the English text.
    """
    return Msg(template, params)


def msg_n(one: str, other: str, count: int, **params: object) -> Msg:
    """A message with a singular and a plural form, chosen by ``count``.

    Parameters
    ----------
    one, other : English templates for a count of 1 and for any other count.
    count : the number that decides; also the value of the ``{count}`` placeholder.
    **params : values of the other placeholders.

    Returns
    -------
    Msg. English uses ``one`` for 1 only; French uses the French entry of ``one`` for 0
    and 1, that of ``other`` from 2 on.
    """
    return Msg(one if count == 1 else other, {"count": count, **params}, (one, other))


def msg_join(separator: str, parts: list[str]) -> Msg:
    """``separator.join(parts)`` that keeps the parts translatable (each may be a ``Msg``)."""
    names = [f"part{i}" for i in range(len(parts))]
    escaped = separator.replace("{", "{{").replace("}", "}}")
    template = escaped.join("{" + name + "}" for name in names)
    return Msg(template, dict(zip(names, parts, strict=True)))


def msg_reason(reason: str) -> Msg:
    """A rejected-row reason (a key of :data:`REASONS`, without value) as a message."""
    return Msg(reason.replace("{", "{{").replace("}", "}}"))


def message_of(error: BaseException) -> str:
    """The message an exception was raised with, still a ``Msg`` if it was built as one.

    ``str(error)`` makes a plain string of it; the first argument keeps the template.
    """
    if len(error.args) == 1 and isinstance(error.args[0], str):
        return error.args[0]
    return str(error)
