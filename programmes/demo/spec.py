"""Small vocabulary the demo datasets are written in.

Datasets are plain Python data: pages as dicts with ``type``, ``slug``,
``title``, ``fields``, ``orderables`` and ``children`` (plus the flags
``keep_existing``: never touch the page once it exists, and
``keep_if_upcoming``: leave a meeting alone while it still lies ahead).
References to snippets and documents are markers resolved by the loader, so
a dataset never deals with database ids.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

WARSAW = ZoneInfo("Europe/Warsaw")


@dataclass(frozen=True)
class Org:
    """An Organisation snippet, by name."""

    name: str


@dataclass(frozen=True)
class Who:
    """A Person snippet, by name."""

    name: str


@dataclass(frozen=True)
class Place:
    """A Venue snippet, by name."""

    name: str


@dataclass(frozen=True)
class Doc:
    """A demo ProgrammeDocument, by title."""

    title: str


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    """Local (Warsaw) wall-clock time, as editors type it."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=WARSAW)


def day(year: int, month: int, day_: int) -> datetime.date:
    return datetime.date(year, month, day_)


def session(start, end, place=None, **fields) -> dict:
    return {"start": start, "end": end, "venue": Place(place) if place else None, **fields}


def p(*paragraphs: str) -> str:
    """Rich text from plain paragraphs."""
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def ul(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def heading(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def paragraph(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def goal(title: str, description: str = "") -> dict:
    return {"type": "goal", "value": {"title": title, "description": description}}


def quote(text: str, attribution: str = "") -> dict:
    return {"type": "quote", "value": {"text": text, "attribution": attribution}}


def document(title: str, label: str = "") -> dict:
    return {"type": "document", "value": {"document": Doc(title), "label": label}}
