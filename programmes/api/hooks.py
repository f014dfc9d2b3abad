"""Extension points of the API that other parts of the plugin fill in.

Places of a meeting belong to registration, which is optional: until a
provider is registered the API reports ``null`` ("not tracked"). The
registration app calls :func:`register_places_provider` from its
``AppConfig.ready()`` with ``services.places_bulk``: a function taking a list
of meetings and returning, in a constant number of queries for the whole
list, ``{meeting_pk: places}`` where ``places`` is None (not tracked), a
plain number of remaining places, or a dict with ``remaining``, ``capacity``,
``registration_open``, ``waiting_list_open`` and ``sessions`` (``{session_pk:
{"capacity", "remaining", "waiting_list_open"}}``). The API never computes
places itself, so it shows exactly what the registration form enforces
(reserved places included).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

PlacesProvider = Callable[[list], dict]
#: Returns ``(parts, moment)``: a repr-able value that changes whenever places
#: change, and when they last did (or None).
PlacesFingerprint = Callable[[], tuple]

_places_provider: PlacesProvider | None = None
_places_fingerprint: PlacesFingerprint | None = None


def register_places_provider(
    provider: PlacesProvider | None, fingerprint: PlacesFingerprint | None = None
) -> None:
    """Install the places provider; ``fingerprint`` lets HTTP validators (ETag,
    Last-Modified) change when places do, not only when pages are published."""
    global _places_provider, _places_fingerprint  # noqa: PLW0603 - a process-wide registry
    _places_provider = provider
    _places_fingerprint = fingerprint


def places_fingerprint() -> tuple:
    """``(parts, moment)`` of the registered fingerprint, ``(None, None)`` without one."""
    return _places_fingerprint() if _places_fingerprint is not None else (None, None)


def meeting_places_bulk(meetings: Iterable) -> dict:
    """Places per meeting pk as the provider gives them; empty when nobody tracks them."""
    meetings = list(meetings)
    if _places_provider is None or not meetings:
        return {}
    return _places_provider(meetings) or {}


def places_info(value) -> dict | None:
    """A provider's value for one meeting as a dict (a bare number means remaining)."""
    if value is None or isinstance(value, dict):
        return value
    return {"remaining": value}


def session_places(context, session) -> dict:
    """The provider's counts for one session (empty: not tracked).

    ``context["places"]`` holds the provider's answer per meeting pk, filled by
    the view for a whole listing. The per-session table is built once per
    request and again only when meetings were added to it since.
    """
    places = context.get("places", {})
    key = (id(places), len(places))
    memo = context.get("_session_places")
    if memo is None or memo[0] != key:
        table = {
            pk: counts
            for info in places.values()
            if isinstance(info, dict)
            for pk, counts in (info.get("sessions") or {}).items()
        }
        memo = context["_session_places"] = (key, table)
    return memo[1].get(session.pk) or {}


def meeting_places(meeting) -> int | None:
    """Remaining places of one meeting, or None when not tracked or unlimited."""
    info = places_info(meeting_places_bulk([meeting]).get(meeting.pk))
    return None if info is None else info.get("remaining")
