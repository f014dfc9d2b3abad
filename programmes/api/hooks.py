"""Extension points of the API that other parts of the plugin fill in.

Remaining places of a meeting belong to registration, which is optional: until
a provider is registered the API reports ``null`` ("not tracked"). The
registration app calls :func:`register_places_provider` from its
``AppConfig.ready()`` with a function taking a list of meetings and returning
``{meeting_pk: remaining_places_or_None}`` in one query for the whole list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

PlacesProvider = Callable[[list], dict]

_places_provider: PlacesProvider | None = None


def register_places_provider(provider: PlacesProvider | None) -> None:
    global _places_provider  # noqa: PLW0603 - a process-wide registry by design
    _places_provider = provider


def meeting_places_bulk(meetings: Iterable) -> dict:
    """Remaining places per meeting pk; empty when nobody tracks registrations."""
    meetings = list(meetings)
    if _places_provider is None or not meetings:
        return {}
    return _places_provider(meetings) or {}


def meeting_places(meeting) -> int | None:
    """Remaining places of one meeting, or None when not tracked or unlimited."""
    return meeting_places_bulk([meeting]).get(meeting.pk)
