"""Wrocław's demo content: Program Dialog i Współpraca and its Open Space meeting (2014).

Facts come from the organisers' announcement of the first meeting (shared/seeds/);
the text is our own. The topics raised are illustrative demo content built
from the areas of cooperation the agenda listed.
"""

from __future__ import annotations

import datetime

from .spec import Doc, Org, at, day, document, goal, heading, p, paragraph, session

WRDPP = "Wrocławska Rada Działalności Pożytku Publicznego"
DOM_POKOJU = "Fundacja Dom Pokoju"
TRATWA = "Centrum ds. Katastrof i Klęsk Żywiołowych Tratwa"
BIURO = "Biuro Współpracy z Organizacjami Pozarządowymi Urzędu Miejskiego Wrocławia"
ZAJEZDNIA = "PPM Zajezdnia"

DOC_REPORT = "Raport z sesji Open Space – 5 września 2014"

DISTINCTIVE = {DOC_REPORT: "Pasaż Tramwajarzy"}

ORGANISATIONS = [
    {
        "name": WRDPP,
        "kind": "council",
        "address": "Wrocław",
        "email": "wrdppwroclaw@gmail.com",
        "phone": "883 047 310",
    },
    {"name": DOM_POKOJU, "kind": "ngo", "address": "Wrocław"},
    {"name": TRATWA, "kind": "ngo", "address": "Wrocław"},
    {"name": BIURO, "kind": "city_office", "address": "Wrocław"},
]

VENUES = [
    {
        "name": ZAJEZDNIA,
        "address": "ul. Legnicka 65",
        "city": "Wrocław",
        "latitude": "51.116700",
        "longitude": "16.999500",
    }
]


def build(now: datetime.datetime) -> dict:
    return {
        "organisations": ORGANISATIONS,
        "people": [],
        "venues": VENUES,
        "home": {
            "fields": {
                "intro": p(
                    "Dialog i współpraca organizacji pozarządowych z Wrocławiem: spotkania, "
                    "raporty i aktualności."
                )
            }
        },
        "index": {
            "type": "ProgrammeIndexPage",
            "slug": "programy",
            "title": "Programy",
            "keep_existing": True,
            "fields": {"intro": p("Programy współpracy miasta i organizacji pozarządowych.")},
        },
        "programmes": [_dialog_i_wspolpraca()],
    }


def _dialog_i_wspolpraca():
    return {
        "type": "ProgrammePage",
        "slug": "program-dialog-i-wspolpraca",
        "title": "Program Dialog i Współpraca",
        "fields": {
            "summary": "Oddolna inicjatywa czterech partnerów, którzy chcą zbudować we "
            "Wrocławiu demokratyczną przestrzeń współpracy organizacji pozarządowych i "
            "administracji na rzecz lepszej jakości życia mieszkańców.",
            "status": "completed",
            "start_date": day(2014, 8, 12),
            "end_date": day(2014, 12, 31),
            "lead_organisation": Org(WRDPP),
            "contact_email": "wrdppwroclaw@gmail.com",
            "contact_phone": "883 047 310",
            "funding": "Praca wolontariacka organizatorów",
            "body": [
                heading("O programie"),
                paragraph(
                    p(
                        "Na kilku spotkaniach warsztatowych chcemy nazwać bariery, potrzeby i "
                        "możliwości współpracy organizacji z magistratem, a potem rozwijać ją "
                        "dalej. Kanałów współpracy jest już wiele, ale nie wykorzystujemy ich "
                        "w pełni. Gdańsk, Warszawa i Łódź wypracowały sprawne mechanizmy "
                        "wspólnego planowania, realizacji i oceny zadań – czas na własny, "
                        "wrocławski.",
                        "Program prowadzą wolontariusze. Chcesz pomóc? Napisz na "
                        "wrdppwroclaw@gmail.com lub zadzwoń: 883 047 310.",
                    )
                ),
                goal(
                    "Diagnoza",
                    p("Bariery, potrzeby i możliwości dialogu między NGO a magistratem."),
                ),
                goal("Własny mechanizm", p("Model dialogu i współpracy dopasowany do Wrocławia.")),
                document(DOC_REPORT, "Raport z sesji Open Space"),
            ],
        },
        "orderables": {
            "phases": [
                {
                    "name": "Diagnoza metodą Open Space",
                    "start_date": day(2014, 9, 5),
                    "end_date": day(2014, 9, 19),
                    "description": "Dwie sesje 5 września i raport dwa tygodnie później.",
                },
                {
                    "name": "Warsztaty w obszarach wskazanych przez uczestników",
                    "start_date": day(2014, 9, 20),
                    "end_date": day(2014, 12, 31),
                    "description": "Program prac warsztatowych na podstawie raportu.",
                },
            ],
            "partners": [
                {"organisation": Org(DOM_POKOJU), "role": "współinicjator"},
                {"organisation": Org(TRATWA), "role": "współinicjator"},
                {"organisation": Org(BIURO), "role": "współinicjator (urząd miasta)"},
            ],
        },
        "documents": [
            {
                "title": DOC_REPORT,
                "kind": "report",
                "publication_date": day(2014, 9, 19),
                "format": "pdf",
                "filename": "raport-open-space-wroclaw-2014.pdf",
                "description": "Wyniki diagnozy z obu sesji Open Space.",
                "paragraphs": [
                    "Sesja Open Space 5 września 2014 r. w PPM Zajezdnia (ul. Legnicka 65), "
                    "sesja I 10:00–13:00 i sesja II 17:00–20:00.",
                    "Uczestnicy ocenili istniejące obszary współpracy: grupy ds. dialogu, "
                    "WRDPP i inne rady, program współpracy z organizacjami, konsultacje, "
                    "konkursy, partnerstwa, patronaty i lokale w szkołach.",
                    "Jedna z grup zaproponowała stały punkt spotkań organizacji przy "
                    "Pasaż Tramwajarzy, otwarty w każdy pierwszy czwartek miesiąca.",
                    "Dokument demonstracyjny systemu Dialog CMS na podstawie zapowiedzi "
                    "spotkania; nie jest oficjalnym raportem organizatorów.",
                ],
            }
        ],
        "children": [
            {
                "type": "OpenSpaceSessionPage",
                "slug": "open-space-5-wrzesnia-2014",
                "title": "Pierwsze spotkanie Programu Dialog i Współpraca (Open Space)",
                "fields": {
                    "status": "held",
                    "intro": "Diagnoza barier, potrzeb i możliwości dialogu i współpracy "
                    "organizacji pozarządowych z magistratem, jako podstawa kolejnych działań "
                    "programu.",
                    "guiding_question": "Co przeszkadza, czego potrzebujemy i co możemy "
                    "zrobić, by organizacje pozarządowe i magistrat we Wrocławiu naprawdę ze "
                    "sobą rozmawiały i współpracowały?",
                    "method_description": p(
                        "Open Space to spotkanie bez z góry ustalonego programu dyskusji: "
                        "uczestnicy sami zgłaszają tematy, zbierają się w grupach wokół tych, "
                        "które są dla nich ważne, i mogą swobodnie przechodzić między grupami. "
                        "Wnioski z każdej grupy trafiają do wspólnego raportu."
                    ),
                    "participant_groups": "\n".join(
                        [
                            "członkowie, pracownicy i sympatycy organizacji pozarządowych",
                            "członkowie WRDPP i innych rad",
                            "partnerstwa i koalicje",
                            "radni miejscy",
                            "urzędnicy magistratu",
                        ]
                    ),
                    "report_due_date": day(2014, 9, 19),
                    "report": Doc(DOC_REPORT),
                    "contact_email": "wrdppwroclaw@gmail.com",
                    "contact_phone": "883 047 310",
                    "outcome_summary": p(
                        "Raport z diagnozy powstał w ciągu dwóch tygodni; na jego podstawie "
                        "przygotowano program warsztatów w obszarach wskazanych przez "
                        "uczestników."
                    ),
                },
                "orderables": {
                    "sessions": [
                        session(
                            at(2014, 9, 5, 10, 0), at(2014, 9, 5, 13, 0), ZAJEZDNIA, label="I sesja"
                        ),
                        session(
                            at(2014, 9, 5, 17, 0),
                            at(2014, 9, 5, 20, 0),
                            ZAJEZDNIA,
                            label="II sesja",
                        ),
                    ],
                    "agenda_items": [
                        {"title": "Powitanie, cel spotkania i opis metody Open Space"},
                        {
                            "title": "Mapa istniejących obszarów współpracy i ich ocena",
                            "description": "Grupy ds. dialogu, WRDPP i inne rady, Program "
                            "Współpracy z Organizacjami Pozarządowymi, konsultacje dokumentów "
                            "strategicznych i programów rocznych, 3Sektor, konkursy, "
                            "partnerstwa z Gminą, patronaty, lokale i obiekty w szkołach.",
                        },
                        {"title": "Rozmowa o sprawach ważnych dla uczestników"},
                        {"title": "Diagnoza potrzeb i możliwości współpracy metodą Open Space"},
                    ],
                    "topics": [
                        {
                            "topic": "Lokale dla organizacji i sale w szkołach",
                            "convener": "uczestnicy I sesji",
                            "summary": "Potrzebna jawna lista dostępnych pomieszczeń.",
                        },
                        {
                            "topic": "Konsultacje programów rocznych",
                            "convener": "członkowie WRDPP",
                            "summary": "Więcej czasu na uwagi i informacja zwrotna.",
                        },
                        {
                            "topic": "Konkursy i partnerstwa z Gminą",
                            "convener": "uczestnicy II sesji",
                            "summary": "Prostsze procedury dla małych organizacji.",
                        },
                    ],
                },
            },
            {
                "type": "NewsPage",
                "slug": "pierwsze-spotkanie-programu",
                "title": "Pierwsze spotkanie w ramach Programu Dialog i Współpraca",
                "fields": {
                    "date": day(2014, 8, 12),
                    "intro": "5 września 2014 r. w PPM Zajezdnia zapraszamy na dwie sesje "
                    "Open Space: 10–13 i 17–20.",
                    "body": [
                        paragraph(
                            p(
                                "Program powstał z inicjatywy WRDPP, Fundacji Dom Pokoju, "
                                "Centrum Tratwa i Biura Współpracy z Organizacjami "
                                "Pozarządowymi. Raport z diagnozy opublikujemy w ciągu dwóch "
                                "tygodni od spotkania."
                            )
                        )
                    ],
                },
            },
            {
                "type": "DocumentLibraryPage",
                "slug": "dokumenty",
                "title": "Dokumenty",
                "fields": {"intro": p("Raporty programu.")},
            },
        ],
    }
