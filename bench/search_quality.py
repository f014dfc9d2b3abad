"""Benchmark: search quality on a Polish test collection with graded judgements.

    .venv/bin/python bench/search_quality.py

Builds two demo-like cities in a throwaway database (``dialog_bench_search_quality``,
dropped at the end) from the seeds' facts: Warsaw's dialogue programme, Program
Wspólnota and the Norway-grants project; Wrocław's Dialog i Współpraca with
its Open Space meeting; meetings with venues and street addresses, experts and
coordinators, news, and real PDF documents whose text is extracted by the
project's extraction task (so some words exist only inside PDFs), plus
distractor pages that share common words.

Then runs the queries of ``QUERIES`` (inflected forms, no diacritics, typos,
names, addresses, words only in PDFs, city filters on the platform search)
through three systems:

* ``elasticsearch``: the query service with the Elasticsearch backend;
* ``postgres``: the same query service with the PostgreSQL backend;
* ``naive``: PostgreSQL full text with the ``simple`` configuration over the
  raw title and text (``plainto_tsquery``, ``ts_rank``): no lemmas, no
  folding, no typo handling.

Judgements are graded 3 (the answer), 2 (clearly relevant), 1 (related);
anything else is 0. Reports nDCG@10 (gain 2^g - 1), MRR (first result with
g >= 1) and recall@10 (share of judged items in the top 10), overall and per
category, in bench/results/search_quality.md. Also compares the two Polish
lemmatisers on inflected forms (why Morfeusz 2).
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import signal
import sys
import time
from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR]
sys.path.insert(0, str(ROOT))

from bench.provisioning import (  # noqa: E402 - after the path fix above
    command_line,
    create_database,
    database_name,
    drop_database,
    load_average,
    log,
    machine_info,
    with_database,
)

DEFAULT_URL = "postgres://dialog:dialog@127.0.0.1:54329/dialog"
DEFAULT_DB = "dialog_bench_search_quality"
DEFAULT_OUTPUT = BENCH_DIR / "results" / "search_quality.md"
WAW, WRO = "qa_waw", "qa_wro"
TZ = ZoneInfo("Europe/Warsaw")
TARGET_NDCG = 0.85

# (scope, query, {item: grade}, category). Scope: a city's schema, or "all" /
# "all:<schema>" for the platform (cross-city) search, optionally filtered.
QUERIES: list[tuple[str, str, dict[str, int], str]] = [
    (WAW, "spotkaniu plenarnym", {"m_inaug": 3, "m_plen2": 3, "d_minutes": 1}, "inflection"),
    (WAW, "warsztatów diagnostycznych", {"m_ws1": 3, "m_ws2": 3}, "inflection"),
    (
        WAW,
        "konsultacjach społecznych",
        {"cons": 3, "d_consult": 2, "n_report": 2, "m_consult": 2},
        "inflection",
    ),
    (WAW, "raportu z konsultacji", {"d_consult": 3, "n_report": 2}, "inflection"),
    (
        WAW,
        "grupach roboczych",
        {"w_groups": 3, "w_meet": 2, "d_present": 2, "wg1": 1},
        "inflection",
    ),
    (WAW, "zespole ekspertów", {"panel": 3}, "inflection"),
    (
        WAW,
        "programem wspólnota",
        {"p_wspolnota": 3, "w_groups": 2, "w_meet": 1, "d_socio": 1},
        "inflection",
    ),
    (WAW, "szkoleniach dla urzędników", {"nw_news": 3, "p_norway": 2}, "inflection"),
    (
        WAW,
        "przyjętym programie dialog",
        {"n_doc": 3, "d_programme": 2, "p_dialog": 2},
        "inflection",
    ),
    (WAW, "24 osobami w zespołach", {"w_groups": 3}, "inflection"),
    (WAW, "palac slubow", {"m_inaug": 3}, "no diacritics"),
    (WAW, "spotkanie konsultacyjne palac kultury", {"m_consult": 3}, "no diacritics"),
    (WAW, "zespol ekspertow", {"panel": 3}, "no diacritics"),
    (WAW, "tlumacz jezyka migowego", {"m_inaug": 3}, "no diacritics"),
    (WAW, "norweski mechanizm finansowy", {"p_norway": 3, "d_handbook": 1}, "no diacritics"),
    (WAW, "analiza socjologiczna raport koncowy", {"d_socio": 3}, "no diacritics"),
    (WAW, "podrecznik dobrych praktyk", {"d_handbook": 3}, "no diacritics"),
    (
        WRO,
        "wroclawska rada dzialalnosci pozytku publicznego",
        {"p_dwp": 3, "m_openspace": 1},
        "no diacritics",
    ),
    (WRO, "raport z badan", {"d_report": 3, "n_report": 2}, "no diacritics"),
    (WAW, "konsultcje społeczne", {"cons": 3, "d_consult": 2, "m_consult": 2}, "typo"),
    (WAW, "warsztaty diagnostyczno-kreatywne mokotw", {"m_ws2": 3, "m_ws1": 1}, "typo"),
    (WAW, "inauguracyjne spotkanie plenrne", {"m_inaug": 3}, "typo"),
    (WAW, "socjologiczna anliza", {"d_socio": 3}, "typo"),
    (WRO, "zajezdina", {"m_openspace": 3}, "typo"),
    (WAW, "wspolnota lokalnch", {"p_wspolnota": 3, "d_socio": 2}, "typo"),
    (WAW, "Łuczewski", {"m_inaug": 3, "panel": 3}, "name"),
    (WAW, "Michała Łuczewskiego", {"m_inaug": 3, "panel": 3}, "name"),
    (WAW, "Żórawska", {"p_wspolnota": 3}, "name"),
    (WAW, "Aleksandra Zorawska", {"p_wspolnota": 3}, "name"),
    (WAW, "Giza-Poleszczuk", {"panel": 3}, "name"),
    (WAW, "Edwin Bendyk", {"panel": 3}, "name"),
    (WAW, "Wygnańskiego", {"panel": 3}, "name"),
    (WAW, "Senatorska 27", {"p_dialog": 3, "m_plen2": 3}, "address"),
    (WAW, "ul. Targowa 56", {"m_ws1": 3}, "address"),
    (WAW, "Koszykowa", {"w_meet": 3}, "address"),
    (WRO, "Legnicka 65", {"m_openspace": 3}, "address"),
    (WAW, "pl. Defilad 1", {"m_consult": 3}, "address"),
    (WRO, "Bogusławskiego 12", {"m_workshop": 3}, "address"),
    (WAW, "punkty konsultacyjne w bibliotekach", {"d_consult": 3}, "PDF text"),
    (WAW, "mapa dostępności urzędów dzielnic", {"d_minutes": 3}, "PDF text"),
    (WAW, "sąsiedzkie centra lokalne", {"d_socio": 3}, "PDF text"),
    (WAW, "mediacje sąsiedzkie", {"d_handbook": 3}, "PDF text"),
    (WRO, "wspólny kalendarz konsultacji", {"d_report": 3}, "PDF text"),
    (WAW, "146 uwag", {"d_consult": 3}, "PDF text"),
    (WRO, "skomplikowane konkursy grantowe", {"d_report": 3, "m_workshop": 2}, "PDF text"),
    (WAW, "karta dialogu", {"d_programme": 3}, "PDF text"),
    (f"all:{WRO}", "inauguracyjne spotkanie plenarne", {"wro.m_inaug": 3}, "city filter"),
    (f"all:{WAW}", "inauguracyjne spotkanie plenarne", {"waw.m_inaug": 3}, "city filter"),
    (
        "all",
        "open space",
        {"wro.m_openspace": 3, "wro.d_report": 2, "wro.n_report": 1},
        "city filter",
    ),
    (f"all:{WAW}", "raport z konsultacji", {"waw.d_consult": 3, "waw.n_report": 2}, "city filter"),
]


# --- Content -------------------------------------------------------------------------


def _at(y, m, d, h=17):
    return datetime.datetime(y, m, d, h, 0, tzinfo=TZ)


def _pdf(title, paragraphs, kind, date, programme=None):
    from programmes.factories import ProgrammeDocumentFactory, document_file, pdf_bytes

    return ProgrammeDocumentFactory(
        title=title,
        description="",
        file=document_file(pdf_bytes(*paragraphs), "dokument.pdf"),
        kind=kind,
        publication_date=date,
        programme=programme,
    )


def build_warszawa() -> dict:
    from programmes.factories import (
        ConsultationPageFactory,
        ExpertPanelPageFactory,
        MeetingPageFactory,
        NewsPageFactory,
        OrganisationFactory,
        PersonFactory,
        ProgrammePageFactory,
        VenueFactory,
        WorkingGroupPageFactory,
        session,
    )
    from programmes.models import ExpertPanelPageMember, MeetingPageFacilitator

    cks = OrganisationFactory(
        name="Centrum Komunikacji Społecznej", address="ul. Senatorska 27, 00-099 Warszawa"
    )
    luczewski = PersonFactory(name="Michał Łuczewski", title="dr", affiliation="socjolog")
    zorawska = PersonFactory(name="Aleksandra Żórawska", title="", affiliation="CKS")
    panel_people = [
        PersonFactory(name="Anna Giza-Poleszczuk", title="prof.", affiliation="UW"),
        PersonFactory(name="Joanna Erbel", title="", affiliation="socjolożka"),
        PersonFactory(name="Jan Jakub Wygnański", title="", affiliation="Pracownia Badań"),
        PersonFactory(name="Edwin Bendyk", title="", affiliation="dziennikarz"),
        luczewski,
    ]

    def venue(name, address, postcode):
        return VenueFactory(name=name, address=address, postcode=postcode, city="Warszawa")

    palace = venue("Pałac Ślubów", "ul. Chmielna 6", "00-020")
    office = venue("Centrum Komunikacji Społecznej", "ul. Senatorska 27", "00-099")
    targowa = venue("Centrum Kreatywności", "ul. Targowa 56", "03-733")
    dorozkarnia = venue("Dom Kultury Dorożkarnia", "ul. Siekierkowska 28", "00-709")
    pkin = venue("Pałac Kultury i Nauki", "pl. Defilad 1", "00-901")
    library = venue("Biblioteka Publiczna", "ul. Koszykowa 26", "00-553")

    dialog = ProgrammePageFactory(
        title="Program dialog",
        summary="Program rozwoju dialogu i komunikacji społecznej Warszawy, "
        "pisany z mieszkańcami w latach 2016–2018.",
        lead_organisation=cks,
        coordinator=PersonFactory(name="Marta Nowicka", title=""),
        start_date=datetime.date(2016, 11, 1),
    )
    wspolnota = ProgrammePageFactory(
        title="Program Wspólnota",
        summary="Program wspierania wspólnot lokalnych, relacji sąsiedzkich i identyfikacji "
        "z miejscem, program wykonawczy Strategii #Warszawa2030.",
        lead_organisation=cks,
        coordinator=zorawska,
        start_date=datetime.date(2018, 5, 1),
    )
    norway = ProgrammePageFactory(
        title="Wzmacnianie mechanizmu partycypacji społecznej",
        summary="Projekt z lat 2009–2011: platforma konsultacji, szkolenia urzędników i 18 "
        "konsultacji dzielnicowych.",
        funding="Norweski Mechanizm Finansowy",
        lead_organisation=cks,
        start_date=datetime.date(2009, 6, 1),
    )
    pages = {"p_dialog": dialog, "p_wspolnota": wspolnota, "p_norway": norway}

    def meeting(parent, title, kind, at, where, intro, **extra):
        return MeetingPageFactory(
            parent=parent,
            title=title,
            kind=kind,
            intro=intro,
            body="",
            sessions=[session(at=at, venue=where)],
            **extra,
        )

    pages["m_inaug"] = meeting(
        dialog,
        "Inauguracyjne spotkanie plenarne",
        "plenary",
        _at(2016, 12, 12),
        palace,
        "Otwarcie prac nad programem: wizja i wartości dialogu. "
        "Na miejscu tłumacz języka migowego.",
        facilitators=[MeetingPageFacilitator(person=luczewski, role="moderator")],
    )
    pages["m_ws1"] = meeting(
        dialog,
        "Warsztaty diagnostyczno-kreatywne – Praga Północ",
        "workshop",
        _at(2017, 1, 17),
        targowa,
        "Diagnoza stanu dialogu w dzielnicy.",
    )
    pages["m_ws2"] = meeting(
        dialog,
        "Warsztaty diagnostyczno-kreatywne – Mokotów",
        "workshop",
        _at(2017, 1, 24),
        dorozkarnia,
        "Diagnoza stanu dialogu w dzielnicy.",
    )
    pages["m_plen2"] = meeting(
        dialog,
        "Drugie spotkanie plenarne",
        "plenary",
        _at(2017, 2, 21),
        office,
        "Przedstawiamy bieżące efekty prac i kierunki dalszych działań.",
    )
    pages["m_consult"] = meeting(
        dialog,
        "Spotkanie konsultacyjne projektu Programu dialog",
        "consultation",
        _at(2018, 3, 14),
        pkin,
        "Otwarte spotkanie w ramach konsultacji.",
    )
    pages["wg1"] = WorkingGroupPageFactory(
        parent=dialog,
        title="Zespół roboczy ds. standardów informowania",
        area_of_work="<p>Standardy informowania mieszkańców o decyzjach urzędu.</p>",
        membership_rules="<p>Maksymalnie 16 osób, połowa to urzędnicy.</p>",
    )
    pages["panel"] = ExpertPanelPageFactory(
        parent=dialog,
        title="Zespół ekspertów",
        purpose="<p>Eksperci doradzają merytorycznie i monitorują proces.</p>",
        members=[ExpertPanelPageMember(person=p, role="ekspert") for p in panel_people],
    )
    pages["cons"] = ConsultationPageFactory(
        parent=dialog,
        title="Konsultacje społeczne projektu Programu dialog",
        subject="Projekt Programu dialog: uwagi można zgłaszać od 2 do 31 marca 2018 r.",
        start_date=datetime.date(2018, 3, 2),
        end_date=datetime.date(2018, 3, 31),
        status="report_published",
    )

    def news(parent, title, date, intro, text=""):
        return NewsPageFactory(
            parent=parent,
            title=title,
            date=date,
            intro=intro,
            body=[{"type": "paragraph", "value": f"<p>{text}</p>"}] if text else [],
        )

    pages["n_report"] = news(
        dialog,
        "Raport podsumowujący konsultacje już dostępny",
        datetime.date(2018, 5, 30),
        "Zachęcamy do zapoznania się z raportem podsumowującym konsultacje.",
    )
    pages["n_doc"] = news(
        dialog,
        "Program dialog przyjęty po zmianach",
        datetime.date(2020, 11, 19),
        "Dokument po zmianach wynikających z konsultacji i uzgodnień wewnętrznych.",
    )
    pages["w_groups"] = news(
        wspolnota,
        "Nabór do grup roboczych Programu Wspólnota",
        datetime.date(2018, 9, 18),
        "Powołujemy trzy grupy robocze.",
        "Każdy zespół będzie liczył 24 osoby: przedstawicieli organizacji, partnerstw "
        "lokalnych, mieszkańców oraz urzędów.",
    )
    pages["w_meet"] = meeting(
        wspolnota,
        "Spotkanie grupy roboczej: otwartość i relacje w środowisku lokalnym",
        "working_group",
        _at(2018, 10, 9),
        library,
        "Drugie spotkanie grupy.",
    )
    pages["nw_news"] = news(
        norway,
        "Szkolenia dla urzędników z prowadzenia konsultacji",
        datetime.date(2010, 5, 10),
        "Urzędnicy samorządowi uczą się prowadzić konsultacje społeczne.",
    )
    # Distractors: share common words with the queries, answer none of them.
    for n, (title, intro) in enumerate(
        [
            ("Dzień Sąsiada na Bielanach", "Spotkanie sąsiedzkie i piknik w parku."),
            ("Konsultacje w sprawie zieleni", "Konsultacje dotyczące nowych drzew na Woli."),
            ("Raport o stanie komunikacji miejskiej", "Raport o autobusach i tramwajach."),
            ("Spotkanie z radnymi dzielnicy", "Spotkanie informacyjne w urzędzie dzielnicy."),
            ("Warsztaty fotograficzne dla seniorów", "Warsztaty w domu kultury."),
            ("Nowa strona programu", "Publikujemy informacje o programie w jednym miejscu."),
        ]
    ):
        pages[f"x{n}"] = news(dialog, title, datetime.date(2019, 1, 1 + n), intro)

    pages["d_consult"] = _pdf(
        "Raport z konsultacji społecznych projektu Programu dialog",
        [
            "Konsultacje trwały od 2 do 31 marca 2018 r. Wpłynęło 146 uwag.",
            "Najczęściej postulowano punkty konsultacyjne w bibliotekach oraz dyżury "
            "urzędników w domach kultury.",
        ],
        "report",
        datetime.date(2018, 5, 30),
        dialog,
    )
    pages["d_programme"] = _pdf(
        "Program dialog – dokument po zmianach",
        [
            "Dialog to działanie oparte na wiedzy. Dialog to stałe doskonalenie się.",
            "Załącznikiem jest karta dialogu, podpisywana przez biura urzędu.",
        ],
        "programme_text",
        datetime.date(2018, 9, 1),
        dialog,
    )
    pages["d_socio"] = _pdf(
        "Analiza socjologiczna wspólnot lokalnych – raport końcowy",
        [
            "Badanie objęło 12 osiedli. Aktywność blokuje brak miejsc spotkań i nieufność.",
            "Rekomendujemy sąsiedzkie centra lokalne prowadzone wspólnie z mieszkańcami.",
        ],
        "analysis",
        datetime.date(2018, 11, 27),
        wspolnota,
    )
    pages["d_handbook"] = _pdf(
        "Podręcznik dobrych praktyk konsultacji",
        [
            "Norweskie doświadczenia: konsultacje już na etapie planowania inwestycji.",
            "Opisujemy mediacje sąsiedzkie i otwarte spotkania w szkołach.",
        ],
        "handbook",
        datetime.date(2011, 4, 1),
        norway,
    )
    pages["d_minutes"] = _pdf(
        "Protokół z drugiego spotkania plenarnego",
        [
            "Uczestnicy wskazali potrzebę mapy dostępności urzędów dzielnic dla osób "
            "z niepełnosprawnościami."
        ],
        "minutes",
        datetime.date(2017, 2, 28),
        dialog,
    )
    pages["d_present"] = _pdf(
        "Prezentacja podsumowująca cykl spotkań grup roboczych",
        ["Obszary: budowanie otwartości, rozwijanie aktywności, poczucie przynależności."],
        "presentation",
        datetime.date(2018, 12, 27),
        wspolnota,
    )
    return pages


def build_wroclaw() -> dict:
    from programmes.factories import (
        ConsultationPageFactory,
        MeetingPageFactory,
        NewsPageFactory,
        OpenSpaceSessionPageFactory,
        ProgrammePageFactory,
        VenueFactory,
        session,
    )

    depot = VenueFactory(
        name="PPM Zajezdnia", address="ul. Legnicka 65", postcode="54-206", city="Wrocław"
    )
    cwop = VenueFactory(
        name="Centrum Wspierania Organizacji Pozarządowych",
        address="ul. Bogusławskiego 12",
        postcode="50-023",
        city="Wrocław",
    )
    town = VenueFactory(
        name="Urząd Miejski Wrocławia", address="Sukiennice 9", postcode="50-107", city="Wrocław"
    )
    programme = ProgrammePageFactory(
        title="Program Dialog i Współpraca",
        summary="Inicjatywa Wrocławskiej Rady Działalności Pożytku Publicznego, Fundacji Dom "
        "Pokoju i Tratwy: współpraca organizacji pozarządowych z magistratem.",
        start_date=datetime.date(2014, 8, 12),
    )
    pages = {"p_dwp": programme}
    pages["m_openspace"] = OpenSpaceSessionPageFactory(
        parent=programme,
        title="Pierwsze spotkanie Programu Dialog i Współpraca",
        intro="Spotkanie prowadzone metodą Open Space.",
        guiding_question="Bariery, potrzeby i możliwości współpracy NGO z magistratem",
        sessions=[
            session(at=_at(2014, 9, 5, 10), venue=depot),
            session(at=_at(2014, 9, 5, 17), venue=depot),
        ],
        topics=[],
    )
    pages["m_workshop"] = MeetingPageFactory(
        parent=programme,
        title="Warsztaty: konkursy grantowe bez barier",
        kind="workshop",
        intro="Jak uprościć konkursy dla organizacji.",
        body="",
        sessions=[session(at=_at(2014, 10, 15), venue=cwop)],
    )
    pages["m_inaug"] = MeetingPageFactory(
        parent=programme,
        title="Inauguracyjne spotkanie plenarne Rady",
        kind="plenary",
        intro="Pierwsze posiedzenie w nowej kadencji.",
        body="",
        sessions=[session(at=_at(2015, 1, 20), venue=town)],
    )
    pages["n_report"] = NewsPageFactory(
        parent=programme,
        title="Raport z pierwszego spotkania już wkrótce",
        date=datetime.date(2014, 9, 8),
        intro="W ciągu dwóch tygodni opublikujemy raport z badań.",
        body=[],
    )
    pages["cons"] = ConsultationPageFactory(
        parent=programme,
        title="Konsultacje rocznego programu współpracy 2015",
        subject="Roczny program współpracy z organizacjami pozarządowymi.",
        start_date=datetime.date(2014, 10, 1),
        end_date=datetime.date(2014, 10, 31),
        status="closed",
    )
    pages["d_report"] = _pdf(
        "Raport z badań – spotkanie Open Space",
        [
            "Uczestnicy wskazali bariery: brak informacji zwrotnej od urzędników, "
            "skomplikowane konkursy grantowe.",
            "Propozycja: wspólny kalendarz konsultacji.",
        ],
        "report",
        datetime.date(2014, 9, 19),
        programme,
    )
    return pages


# --- Systems ---------------------------------------------------------------------------


def naive_table(schemas: list[str]) -> None:
    """The baseline: raw title + text, 'simple' configuration, no lemmas/folding/typos."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from search.indexing import build_items

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE public.bench_naive (schema text, key text, full_url text, doc tsvector)"
        )
    for schema in schemas:
        with schema_context(schema):
            rows = [
                (schema, item["key"], item["full_url"], f"{item['title']}\n{item['body']}")
                for item in build_items()
            ]
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO public.bench_naive VALUES (%s, %s, %s, to_tsvector('simple', %s))",
                rows,
            )


def naive_search(query: str, schemas: list[str]) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT full_url FROM public.bench_naive, plainto_tsquery('simple', %s) q "
            "WHERE schema = ANY(%s) AND doc @@ q ORDER BY ts_rank(doc, q) DESC LIMIT 10",
            [query, schemas],
        )
        return [row[0] for row in cursor.fetchall()]


def service_search(query: str, scope: str) -> list[str]:
    from django.db import connection

    from search.query import search

    if scope.startswith("all"):
        connection.set_schema_to_public()
        cities = [scope.split(":", 1)[1]] if ":" in scope else None
        results = search(query, cities=cities, per_page=10)
    else:
        from django_tenants.utils import schema_context

        with schema_context(scope):
            results = search(query, per_page=10)
    return [r["full_url"] for r in results.results]


# --- Metrics ---------------------------------------------------------------------------


def ndcg(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    dcg = sum((2 ** grades.get(url, 0) - 1) / math.log2(i + 2) for i, url in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def reciprocal_rank(ranked: list[str], grades: dict[str, int]) -> float:
    for i, url in enumerate(ranked):
        if grades.get(url, 0) >= 1:
            return 1 / (i + 1)
    return 0.0


def recall(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    relevant = {url for url, g in grades.items() if g >= 1}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


# --- Lemmatisers ----------------------------------------------------------------------

LEMMA_PAIRS = [
    ("spotkaniu", "spotkanie"),
    ("spotkań", "spotkanie"),
    ("warsztatów", "warsztat"),
    ("warsztatach", "warsztaty"),
    ("konsultacjach", "konsultacja"),
    ("raporcie", "raport"),
    ("pałacu", "pałac"),
    ("ślubów", "ślub"),
    ("zespołów", "zespół"),
    ("grupach", "grupa"),
    ("mieszkańców", "mieszkaniec"),
    ("organizacjami", "organizacja"),
    ("urzędzie", "urząd"),
    ("mieście", "miasto"),
    ("ekspertami", "ekspert"),
    ("szkoleń", "szkolenie"),
    ("protokole", "protokół"),
    ("zajezdni", "zajezdnia"),
    ("dzielnicach", "dzielnica"),
    ("Legnickiej", "Legnicka"),
    ("Łuczewskiego", "Łuczewski"),
    ("Żórawskiej", "Żórawska"),
]


def compare_lemmatisers() -> dict:
    import simplemma

    from search.analysis import lemmas_of

    def with_simplemma(word):
        return {simplemma.lemmatize(word, lang="pl").lower()}

    started = time.perf_counter()
    with_simplemma("rozgrzewka")  # loads simplemma's Polish data
    simplemma_load = time.perf_counter() - started
    out = {"pairs": len(LEMMA_PAIRS), "simplemma_load_s": simplemma_load}
    for name, fn in (("project (Morfeusz 2 + stems)", lambda w: set(lemmas_of(w))),):
        out[name] = sum(bool(fn(a) & fn(b)) for a, b in LEMMA_PAIRS)
    out["simplemma"] = sum(bool(with_simplemma(a) & with_simplemma(b)) for a, b in LEMMA_PAIRS)
    return out


# --- Run -------------------------------------------------------------------------------


def run(args) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django_tenants.utils import schema_context

    from programmes.documents import ProgrammeDocument
    from programmes.tasks import extract_document_text
    from search.indexing import build_items, reindex
    from tenants.provisioning import create_city

    machine = machine_info()
    log("Migrating the public schema")
    call_command("migrate_schemas", "--shared", "--noinput", verbosity=0)
    names: dict[str, str] = {}  # "qa_waw:m_inaug" -> full_url
    for schema, label, builder in (
        (WAW, "Warszawa", build_warszawa),
        (WRO, "Wrocław", build_wroclaw),
    ):
        log(f"Creating {label} and its content")
        create_city(schema, label, [f"{schema.replace('_', '-')}.localhost"])
        with schema_context(schema):
            pages = builder()
            for document in ProgrammeDocument.objects.all():
                extract_document_text.call(schema, document.pk)
            urls = {item["key"]: item["full_url"] for item in build_items()}
            for name, obj in pages.items():
                kind = "document" if isinstance(obj, ProgrammeDocument) else "page"
                names[f"{schema}:{name}"] = urls[f"{kind}:{obj.pk}"]
    naive_table([WAW, WRO])

    def resolve(scope: str, grades: dict[str, int]) -> dict[str, int]:
        out = {}
        for name, grade in grades.items():
            if "." in name:  # cross-city judgements name the city
                city, short = name.split(".", 1)
                schema = {"waw": WAW, "wro": WRO}[city]
            else:
                schema, short = scope, name
            out[names[f"{schema}:{short}"]] = grade
        return out

    systems = {}
    for backend in ("elasticsearch", "postgres"):
        settings.SEARCH_BACKEND = backend
        log(f"Indexing with {backend}")
        for schema in (WAW, WRO):
            reindex(schema)
            if backend == "elasticsearch":
                from search.backends import get_backend

                get_backend(backend).refresh(schema)
        systems[backend] = lambda q, scope: service_search(q, scope)
        rows = []
        for scope, query, grades, category in QUERIES:
            ranked = service_search(query, scope)
            rows.append((scope, query, category, ranked, resolve(scope, grades)))
        systems[backend] = rows
        connection.set_schema_to_public()
    rows = []
    for scope, query, grades, category in QUERIES:
        if scope.startswith("all"):
            schemas = [scope.split(":", 1)[1]] if ":" in scope else [WAW, WRO]
        else:
            schemas = [scope]
        rows.append((scope, query, category, naive_search(query, schemas), resolve(scope, grades)))
    systems["naive"] = rows

    lemmatisers = compare_lemmatisers()
    return {"machine": machine, "systems": systems, "lemmatisers": lemmatisers}


def scores(rows) -> dict:
    n = len(rows)
    return {
        "ndcg": sum(ndcg(r[3], r[4]) for r in rows) / n,
        "mrr": sum(reciprocal_rank(r[3], r[4]) for r in rows) / n,
        "recall": sum(recall(r[3], r[4]) for r in rows) / n,
        "n": n,
    }


def write_report(path: Path, data: dict) -> None:
    systems = data["systems"]
    names = ("elasticsearch", "postgres", "naive")
    overall = {name: scores(systems[name]) for name in names}
    categories = list(dict.fromkeys(r[2] for r in systems["naive"]))
    lines = [
        "# Search quality: Polish test collection, graded judgements",
        "",
        f"Command: `{data['command']}`  ",
        f"Date: {data['date']}  ",
        f"Load average before / after: {data['load_before']} / {data['load_after']}",
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in data["machine"].items()),
        "",
        f"{len(QUERIES)} queries over two demo-like cities (see the module docstring of "
        "bench/search_quality.py for the content and the systems). Grades: 3 the answer, "
        "2 clearly relevant, 1 related.",
        "",
        "## Overall",
        "",
        "| system | nDCG@10 | MRR | recall@10 |",
        "|---|---:|---:|---:|",
    ]
    for name in names:
        s = overall[name]
        lines.append(f"| {name} | {s['ndcg']:.3f} | {s['mrr']:.3f} | {s['recall']:.3f} |")
    lines += [
        "",
        f"Target: nDCG@10 ≥ {TARGET_NDCG} with Elasticsearch, both backends far above the "
        "naive baseline.",
        "",
        "## nDCG@10 by category",
        "",
        "| category | queries | elasticsearch | postgres | naive |",
        "|---|---:|---:|---:|---:|",
    ]
    for category in categories:
        per = {name: scores([r for r in systems[name] if r[2] == category]) for name in names}
        lines.append(
            f"| {category} | {per['naive']['n']} | {per['elasticsearch']['ndcg']:.3f} "
            f"| {per['postgres']['ndcg']:.3f} | {per['naive']['ndcg']:.3f} |"
        )
    lines += [
        "",
        "## Per query (nDCG@10)",
        "",
        "| scope | query | category | elasticsearch | postgres | naive |",
        "|---|---|---|---:|---:|---:|",
    ]
    for i, (scope, query, _grades, category) in enumerate(QUERIES):
        values = [ndcg(systems[name][i][3], systems[name][i][4]) for name in names]
        lines.append(
            f"| {scope} | {query} | {category} | " + " | ".join(f"{v:.2f}" for v in values) + " |"
        )
    lem = data["lemmatisers"]
    lines += [
        "",
        "## Lemmatisers",
        "",
        f"Inflected form and base form share a lemma, on {lem['pairs']} pairs from the "
        "seeds (common words, street names, surnames):",
        "",
        "| lemmatiser | pairs matched |",
        "|---|---:|",
        f"| project analysis (Morfeusz 2, guessed stems for unknown words) "
        f"| {lem['project (Morfeusz 2 + stems)']} / {lem['pairs']} |",
        f"| simplemma 2.0 alone | {lem['simplemma']} / {lem['pairs']} |",
        "",
        f"simplemma needed {lem['simplemma_load_s']:.1f} s to load its Polish data on first "
        "use (Morfeusz 2: ~0.3 s).",
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db-name", default=DEFAULT_DB)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    base_url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if database_name(base_url) == args.db_name:
        parser.error("--db-name is the DATABASE_URL database; choose another")
    os.environ["DATABASE_URL"] = with_database(base_url, args.db_name)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("ELASTICSEARCH_URL", "http://127.0.0.1:9201")
    os.environ["DIALOG_SEARCH_PREFIX"] = f"bench-quality-{os.getpid()}"

    def on_sigterm(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_sigterm)
    command = command_line()
    date = datetime.datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load_before = load_average()
    create_database(base_url, args.db_name)
    try:
        data = run(args)
    finally:
        try:
            from django.db import connections

            from search.backends import get_backend

            for schema in (WAW, WRO):
                get_backend("elasticsearch").drop(schema)
            connections.close_all()
        except Exception as error:  # noqa: BLE001 - the drop below must still run
            log(f"(cleanup: {error})")
        drop_database(base_url, args.db_name)
        log(f"Dropped throwaway database {args.db_name} and the benchmark indices")
    data.update(command=command, date=date, load_before=load_before, load_after=load_average())
    write_report(args.output, data)
    log(f"Wrote {args.output}")
    for name in ("elasticsearch", "postgres", "naive"):
        s = scores(data["systems"][name])
        log(f"{name:14s} nDCG@10 {s['ndcg']:.3f}  MRR {s['mrr']:.3f}  recall@10 {s['recall']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
