"""Warsaw's demo content: three programmes drawn from the city's published pages.

Facts (dates, venues, addresses, people, e-mails) come from the seeds in
shared/seeds/ (Warsaw's "Program dialog" 2016–2018, "Program Wspólnota" 2018
and the Norway-grants participation project 2009–2011); the text is our own.
One meeting lies in the future, computed from the day of the load, so the
home page and registration always have something current.
"""

from __future__ import annotations

import datetime

from .spec import (
    Doc,
    Org,
    Who,
    at,
    day,
    document,
    goal,
    heading,
    p,
    paragraph,
    quote,
    session,
    ul,
)

CKS = "Centrum Komunikacji Społecznej Urzędu m.st. Warszawy"
NORWAY_PARTNER = "Partner norweski projektu partycypacyjnego"

PALAC = "Pałac Ślubów"
SENATORSKA = "Centrum Komunikacji Społecznej – sala konferencyjna"
JAS = "Klubokawiarnia Jaś i Małgosia"
KREATYWNOSC = "Centrum Kreatywności"
NOWOLIPIE = "Centrum Aktywności Międzypokoleniowej „Nowolipie”"
WARSZTAT = "Warsztat Warszawski"
WIELOKULTUROWE = "Centrum Wielokulturowe w Warszawie"
PACA = "Centrum Społeczne Paca"

# Titles of the demo documents.
DOC_WORKSHOPS = "Podsumowanie warsztatów diagnostyczno-kreatywnych (luty 2017)"
DOC_STAGE1 = "Prezentacja: rezultaty I etapu prac nad Programem Dialog"
DOC_DRAFT = "Projekt Programu dialog poddany konsultacjom (marzec 2018)"
DOC_REPORT = "Raport z konsultacji społecznych projektu Programu dialog"
DOC_FINAL = "Program dialog – dokument po konsultacjach i uzgodnieniach (wrzesień 2018)"
DOC_WSP_REPORT = "Program Wspólnota – raport z konsultacji wizji"
DOC_WSP_ANALYSIS = "Analiza socjologiczna wspólnot lokalnych w Warszawie – raport końcowy"
DOC_WSP_PRESENTATION = "Program Wspólnota – prezentacja podsumowująca pracę grup roboczych"
DOC_HANDBOOK = "Podręcznik dobrych praktyk konsultacji społecznych"

# Words that appear only inside the files, never on a page: a search for them
# proves that text extracted from PDF/DOCX is indexed.
DISTINCTIVE = {
    DOC_WORKSHOPS: "Grzybowska Polana",
    DOC_STAGE1: "Żurawiowy Zaułek",
    DOC_DRAFT: "kompas sąsiedzkiej rozmowy",
    DOC_REPORT: "ulica Jaskółczej Zatoki",
    DOC_FINAL: "zasada Siedmiu Latarni",
    DOC_WSP_REPORT: "Podwórko Trzech Kasztanów",
    DOC_WSP_ANALYSIS: "osiedle Pszczeli Gród",
    DOC_WSP_PRESENTATION: "wspólnotowy barometr",
    DOC_HANDBOOK: "Fiordowa Metoda",
}

DEMO_NOTE = (
    "Dokument demonstracyjny systemu Dialog CMS, przygotowany na podstawie informacji "
    "opublikowanych przez m.st. Warszawę; nie jest oficjalnym dokumentem urzędu."
)

ORGANISATIONS = [
    {
        "name": CKS,
        "kind": "city_office",
        "address": "ul. Senatorska 27, 00-099 Warszawa",
        "email": "dialog@um.warszawa.pl",
        "phone": "22 443 34 00",
    },
    {
        "name": NORWAY_PARTNER,
        "kind": "foreign_partner",
        "address": "Norwegia",
    },
]

EXPERTS = [
    ("prof.", "Anna Giza-Poleszczuk"),
    ("", "Agata Stafiej-Bartosik"),
    ("", "Joanna Erbel"),
    ("", "Jan Jakub Wygnański"),
    ("", "Edwin Bendyk"),
    ("dr", "Michał Łuczewski"),
]

PEOPLE = [
    *(
        {"name": name, "title": title, "affiliation": "Panel ekspertów Programu Dialog"}
        for title, name in EXPERTS
    ),
    {"name": "Agata Gójska", "title": "dr", "affiliation": "redaktorka Programu Dialog"},
    {"name": "Aleksandra Winiarska", "title": "dr", "affiliation": "redaktorka Programu Dialog"},
    {"name": "Marcin Wojdat", "title": "", "affiliation": "Sekretarz m.st. Warszawy"},
    {
        "name": "Krzysztof Mikołajewski",
        "title": "",
        "affiliation": "Dyrektor Centrum Komunikacji Społecznej",
    },
    {
        "name": "Paulina Nowicka",
        "title": "",
        "affiliation": "koordynatorka aktualizacji strategii #Warszawa2030",
    },
    {
        "name": "Aleksandra Żórawska",
        "title": "",
        "affiliation": "Centrum Komunikacji Społecznej, koordynatorka Programu Wspólnota",
        "email": "a.zorawska@um.warszawa.pl",
        "phone": "22 443 34 36",
    },
    {
        "name": "Adam Markuszewski",
        "title": "",
        "affiliation": "Centrum Komunikacji Społecznej",
        "phone": "22 443 34 48",
    },
]

VENUES = [
    {
        "name": PALAC,
        "address": "pl. Zamkowy 6",
        "postcode": "00-277",
        "city": "Warszawa",
        "latitude": "52.248100",
        "longitude": "21.013800",
        "step_free_access": True,
        "accessibility_notes": "Sala spotkań na parterze; budynek przystosowany do potrzeb "
        "osób z niepełnosprawnościami.",
    },
    {
        "name": SENATORSKA,
        "address": "ul. Senatorska 27",
        "postcode": "00-099",
        "city": "Warszawa",
        "latitude": "52.242600",
        "longitude": "21.009000",
        "step_free_access": False,
        "accessibility_notes": "Sala konferencyjna na I piętrze.",
    },
    {
        "name": JAS,
        "address": "al. Jana Pawła II 57",
        "city": "Warszawa",
        "latitude": "52.252300",
        "longitude": "20.994500",
    },
    {
        "name": KREATYWNOSC,
        "address": "ul. Targowa 56",
        "city": "Warszawa",
        "latitude": "52.252200",
        "longitude": "21.037500",
    },
    {
        "name": NOWOLIPIE,
        "address": "ul. Nowolipie 25b",
        "city": "Warszawa",
        "latitude": "52.244900",
        "longitude": "20.993500",
        "step_free_access": True,
        "accessibility_notes": "Budynek przystosowany do potrzeb osób z niepełnosprawnościami.",
    },
    {
        "name": WARSZTAT,
        "address": "pl. Konstytucji 4",
        "city": "Warszawa",
        "latitude": "52.221500",
        "longitude": "21.015500",
    },
    {
        "name": WIELOKULTUROWE,
        "address": "ul. Jagiellońska 54",
        "city": "Warszawa",
        "latitude": "52.258000",
        "longitude": "21.024000",
    },
    {
        "name": PACA,
        "address": "ul. Paca 40",
        "city": "Warszawa",
        "latitude": "52.244000",
        "longitude": "21.071000",
    },
]


def _doc(title, kind, published, fmt, filename, paragraphs, description=""):
    return {
        "title": title,
        "kind": kind,
        "publication_date": published,
        "format": fmt,
        "filename": filename,
        "description": description,
        "paragraphs": [*paragraphs, DEMO_NOTE],
    }


def _news(slug, date, title, intro, *body):
    return {
        "type": "NewsPage",
        "slug": slug,
        "title": title,
        "fields": {"date": date, "intro": intro, "body": list(body)},
    }


def _next_anniversary_meeting(now: datetime.datetime) -> datetime.date:
    """A Thursday three to four weeks after the load day."""
    first = now.date() + datetime.timedelta(days=21)
    return first + datetime.timedelta(days=(3 - first.weekday()) % 7)


# --- Programme 1: Program Rozwoju Dialogu i Komunikacji Społecznej -----------


def _dialog_documents():
    return [
        _doc(
            DOC_WORKSHOPS,
            "report",
            day(2017, 2, 13),
            "pdf",
            "podsumowanie-warsztatow-diagnostyczno-kreatywnych-2017.pdf",
            [
                "Materiały z pracy grupowej podczas pięciu warsztatów diagnostyczno-kreatywnych "
                "(12, 16, 23, 24 i 31 stycznia 2017 r.), omówione na spotkaniu podsumowującym "
                "8 lutego 2017 r. w Pałacu Ślubów.",
                "Uczestnicy wskazywali, że o konsultacjach dowiadują się za późno, a decyzje "
                "urzędu rzadko wracają do nich z uzasadnieniem. Jedna z grup opisała przykład "
                "sporu o zieleń na Grzybowska Polana, gdzie zabrakło wspólnej mapy interesów.",
                "Najczęstsze pomysły: lokalne miejsca spotkań w dzielnicach, prosty język "
                "informacji urzędowej, szkolenia z prowadzenia rozmów dla urzędników.",
            ],
            "Wnioski z pracy grup podczas warsztatów diagnostyczno-kreatywnych.",
        ),
        _doc(
            DOC_STAGE1,
            "presentation",
            day(2017, 6, 7),
            "pdf",
            "rezultaty-i-etapu-programu-dialog-2017.pdf",
            [
                "Prezentacja przedstawiona 24 maja 2017 r. w Pałacu Ślubów: diagnoza stanu "
                "dialogu w Warszawie i propozycja celów Programu.",
                "Diagnoza: wiele kanałów udziału (konsultacje, budżet partycypacyjny, inicjatywa "
                "lokalna), ale słaba koordynacja między biurami i dzielnicami. Przykład dobrej "
                "praktyki: rozmowy sąsiedzkie na Żurawiowy Zaułek prowadzone wspólnie przez "
                "dzielnicę i organizację pozarządową.",
                "Cele: dialog oparty na wiedzy, ciągłe uczenie się urzędu, nowe narzędzia "
                "współpracy, dialog jako wspólna sprawa mieszkańców i samorządu.",
            ],
            "Diagnoza i cele Programu przedstawione na spotkaniu 24 maja 2017 r.",
        ),
        _doc(
            DOC_DRAFT,
            "programme_text",
            day(2018, 3, 5),
            "docx",
            "projekt-programu-dialog-konsultacje-2018.docx",
            [
                "Projekt Programu dialog przedstawiony mieszkańcom do konsultacji od 2 do 31 "
                "marca 2018 r.",
                "Filar 1. Dialog to działanie oparte na wiedzy: otwarte dane o mieście i "
                "prostszy kontakt z urzędnikami.",
                "Filar 2. Dialog to stałe doskonalenie się: współpraca biur, dzielnic i "
                "jednostek miejskich; urząd jako organizacja ucząca się.",
                "Filar 3. Dialog to rozwój nowych narzędzi współpracy, w tym narzędzie "
                "nazwane roboczo kompas sąsiedzkiej rozmowy, pomagające przygotować "
                "spotkanie w dzielnicy.",
                "Filar 4. Dialog to nasza wspólna sprawa.",
            ],
            "Wersja projektu, którą mieszkańcy komentowali w marcu 2018 r.",
        ),
        _doc(
            DOC_REPORT,
            "report",
            day(2018, 5, 30),
            "pdf",
            "raport-konsultacje-programu-dialog-2018.pdf",
            [
                "Konsultacje projektu Programu dialog trwały od 2 do 31 marca 2018 r. Odbyły się "
                "dwa spotkania otwarte: 13 marca w Centrum Aktywności Międzypokoleniowej "
                "Nowolipie i 19 marca w Warsztacie Warszawskim; uwagi przyjmowano także pod "
                "adresem konsultacje@um.warszawa.pl.",
                "Mieszkańcy prosili o ławki i tablice informacyjne w miejscach spotkań; jeden "
                "z uczestników opisał udany dyżur urzędników przy ulica Jaskółczej Zatoki jako "
                "wzór dla innych dzielnic.",
                "Rekomendacje: jaśniejsze uzasadnianie decyzji, stały kalendarz spotkań, "
                "informacja zwrotna dla każdej zgłoszonej uwagi.",
            ],
            "Podsumowanie uwag zgłoszonych w konsultacjach w marcu 2018 r.",
        ),
        _doc(
            DOC_FINAL,
            "programme_text",
            day(2020, 11, 19),
            "docx",
            "program-dialog-po-konsultacjach-2018.docx",
            [
                "Program dialog w brzmieniu po zmianach wynikających z konsultacji społecznych "
                "i uzgodnień wewnętrznych urzędu (wrzesień 2018 r.).",
                "Program porządkuje istniejące formy udziału mieszkańców i wskazuje, jak "
                "rozwijać dialog publiczny; nie zastępuje konsultacji społecznych, budżetu "
                "partycypacyjnego ani inicjatywy lokalnej.",
                "Każde działanie programu przestrzega reguły nazwanej zasada Siedmiu Latarni: "
                "informacja przed decyzją, rozmowa w trakcie, uzasadnienie po niej.",
            ],
            "Ostateczna wersja Programu.",
        ),
    ]


def _dialog_working_groups():
    rules = p(
        "Zespoły mają wypracować konkretne zapisy Programu. Zapraszamy osoby z doświadczeniem "
        "współpracy z samorządem: urzędników, członków organizacji i grup nieformalnych oraz "
        "aktywistów, gotowych do udziału we wszystkich spotkaniach zespołu.",
        "W zespole jest najwyżej 16 osób: połowa miejsc dla przedstawicieli urzędu (biur, "
        "jednostek i dzielnic), połowa dla mieszkańców. Przy większej liczbie zgłoszeń "
        "wybieramy osoby o zróżnicowanym doświadczeniu. Można należeć do więcej niż jednego "
        "zespołu, jeśli są wolne miejsca.",
        "Zgłoszenia z krótkim opisem doświadczeń: dialog@um.warszawa.pl do 24.02.2017; "
        "odpowiedź do 28.02.2017.",
    )

    def meeting(slug, title, dates):
        return {
            "type": "MeetingPage",
            "slug": slug,
            "title": title,
            "fields": {
                "kind": "working_group",
                "status": "held",
                "intro": "Spotkania zespołu roboczego w godzinach 17:30–20:30.",
                "step_free_access": True,
            },
            "orderables": {
                "sessions": [
                    session(
                        at(2017, m, d, 17, 30),
                        at(2017, m, d, 20, 30),
                        PALAC,
                        label=f"Spotkanie {n}",
                    )
                    for n, (m, d) in enumerate(dates, start=1)
                ]
            },
        }

    return [
        {
            "type": "WorkingGroupPage",
            "slug": "zespol-warunki-do-dialogu",
            "title": "Zespół 1: Tworzenie warunków do dialogu",
            "fields": {
                "area_of_work": ul(
                    "Skuteczniejsze istniejące ciała i procesy dialogu, lokalne miejsca i fora "
                    "dialogu, wsparcie aktywności obywatelskiej.",
                    "Nowe sposoby docierania z informacją i badania potrzeb mieszkańców; proste "
                    "formy zaangażowania.",
                    "Edukacja obywatelska i kompetencje komunikacyjne po obu stronach; "
                    "przejrzysta informacja dla mieszkańców.",
                ),
                "membership_rules": rules,
                "max_members": 16,
                "officials_share": 50,
                "open_recruitment": True,
                "recruitment_start": day(2017, 2, 14),
                "recruitment_end": day(2017, 2, 24),
                "application_email": "dialog@um.warszawa.pl",
            },
            "children": [
                meeting(
                    "spotkania-zespolu-1",
                    "Spotkania zespołu 1 (marzec–kwiecień 2017)",
                    [(3, 6), (3, 20), (4, 10), (4, 24)],
                )
            ],
        },
        {
            "type": "WorkingGroupPage",
            "slug": "zespol-dialog-w-konflikcie-interesow",
            "title": "Zespół 2: Dialog w podejmowaniu decyzji w sytuacjach konfliktu interesów",
            "fields": {
                "area_of_work": ul(
                    "Większe zainteresowanie sprawami miasta i udział w tworzeniu jego wizji "
                    "i polityk.",
                    "Lepsza komunikacja w sprawach strategicznych i inwestycyjnych, zwłaszcza "
                    "w planowaniu przestrzeni i infrastrukturze.",
                    "Rozwiązywanie konfliktów interesów przez dialog.",
                ),
                "membership_rules": rules,
                "max_members": 16,
                "officials_share": 50,
                "open_recruitment": True,
                "recruitment_start": day(2017, 2, 14),
                "recruitment_end": day(2017, 2, 24),
                "application_email": "dialog@um.warszawa.pl",
            },
            "children": [
                meeting(
                    "spotkania-zespolu-2",
                    "Spotkania zespołu 2 (marzec–kwiecień 2017)",
                    [(3, 27), (4, 3)],
                )
            ],
        },
        {
            "type": "WorkingGroupPage",
            "slug": "zespol-wspolpraca-wewnetrzna",
            "title": "Zespół 3: Współpraca wewnętrzna w kontekście dialogu",
            "fields": {
                "area_of_work": ul(
                    "Sprawniejsze zarządzanie informacją i koordynacja dialogu na wszystkich "
                    "szczeblach samorządu.",
                    "Sieciowanie w poziomie i w pionie; samorząd jako organizacja ucząca się.",
                    "Narzędzia mapowania problemów z udziałem interesariuszy, także metodami "
                    "nauki obywatelskiej (citizen science).",
                ),
                "membership_rules": p(
                    "Zespół tworzą przedstawiciele Urzędu Miasta i urzędów dzielnic, wskazani "
                    "w naborze wewnętrznym. Zaplanowano dwa spotkania."
                ),
                "max_members": 16,
                "officials_share": 100,
                "open_recruitment": False,
            },
        },
    ]


def _dialog(now):
    upcoming = _next_anniversary_meeting(now)
    y, m, d = upcoming.year, upcoming.month, upcoming.day
    deadline = at(y, m, d, 0, 0) - datetime.timedelta(days=3)
    return {
        "type": "ProgrammePage",
        "slug": "program-dialog",
        "title": "Program Rozwoju Dialogu i Komunikacji Społecznej",
        "fields": {
            "summary": "Warszawski program porządkujący formy dialogu między mieszkańcami a "
            "samorządem, pisany wspólnie z mieszkańcami, organizacjami i urzędnikami w latach "
            "2016–2018. Pierwszy program wykonawczy strategii #Warszawa2030.",
            "status": "completed",
            "start_date": day(2016, 11, 22),
            "end_date": day(2018, 9, 30),
            "lead_organisation": Org(CKS),
            "contact_email": "dialog@um.warszawa.pl",
            "contact_phone": "22 443 34 00",
            "body": [
                heading("Skąd wziął się program"),
                paragraph(
                    p(
                        "Potrzebę programu zapisano już w Społecznej Strategii Warszawy "
                        "(2009–2020): dialog obywatelski miał dostać jasne zasady i procedury, "
                        "dzięki którym mieszkańcy i organizacje realnie wpływają na decyzje.",
                        "Program nie zastępuje konsultacji społecznych, budżetu "
                        "partycypacyjnego ani inicjatywy lokalnej. Porządkuje to, co już "
                        "działa, i wskazuje, jak rozwijać dialog publiczny. Uwzględnia też "
                        "Wieloletni Program Współpracy z Organizacjami Pozarządowymi i wnioski "
                        "z projektu „Miasto w dialogu z 3 sektorem”.",
                    )
                ),
                heading("Jak pracowaliśmy"),
                paragraph(
                    p(
                        "Treść programu – diagnozę, cele i działania – pisali razem mieszkańcy, "
                        "aktywiści, organizacje pozarządowe i urzędnicy, a panel ekspertów "
                        "doradzał i recenzował kolejne wersje. Proces objął spotkanie "
                        "inaugurujące, cykl warsztatów, otwarte spotkania plenarne, trzy "
                        "zespoły robocze i konsultacje społeczne projektu."
                    )
                ),
                heading("Cztery filary dialogu"),
                goal(
                    "Dialog oparty na wiedzy",
                    p("Otwarte dane o mieście i prostszy, szybszy kontakt z urzędnikami."),
                ),
                goal(
                    "Stałe doskonalenie się",
                    p(
                        "Lepsza współpraca biur, dzielnic i spółek miejskich; "
                        "urząd, który się uczy."
                    ),
                ),
                goal(
                    "Nowe narzędzia współpracy",
                    p("Łatwo dostępne formy rozmowy i przyjazne miejsca spotkań w dzielnicach."),
                ),
                goal(
                    "Wspólna sprawa",
                    p("Dialog tworzą ludzie: ich kompetencje, szacunek i troska o miasto."),
                ),
                quote(
                    "Dialog dziś jest lepszy niż wczoraj, a jutro będzie lepszy niż dziś.",
                    "z projektu Programu dialog",
                ),
                document(DOC_FINAL, "Pobierz ostateczną wersję Programu"),
            ],
        },
        "orderables": {
            "phases": [
                {
                    "name": "Spotkanie inaugurujące: wizja i wartości dialogu",
                    "start_date": day(2016, 12, 8),
                    "end_date": day(2016, 12, 31),
                    "description": "Otwarte spotkanie plenarne 8 grudnia 2016 r. w Pałacu Ślubów.",
                },
                {
                    "name": "Warsztaty diagnostyczno-kreatywne",
                    "start_date": day(2017, 1, 1),
                    "end_date": day(2017, 2, 28),
                    "description": "Pięć warsztatów w styczniu i spotkanie podsumowujące "
                    "8 lutego 2017 r.",
                },
                {
                    "name": "Praca zespołów roboczych",
                    "start_date": day(2017, 3, 1),
                    "end_date": day(2017, 4, 30),
                    "description": "Trzy zespoły piszą zapisy programu.",
                },
                {
                    "name": "Podsumowanie I etapu",
                    "start_date": day(2017, 5, 1),
                    "end_date": day(2017, 6, 30),
                    "description": "Spotkanie plenarne 24 maja 2017 r.: diagnoza i cele.",
                },
                {
                    "name": "Konsultacje społeczne projektu",
                    "start_date": day(2018, 3, 2),
                    "end_date": day(2018, 3, 31),
                    "description": "Dwa spotkania i uwagi przesyłane e-mailem.",
                },
                {
                    "name": "Raport z konsultacji i uzgodnienia w urzędzie",
                    "start_date": day(2018, 4, 1),
                    "end_date": day(2018, 9, 30),
                    "description": "Raport z 30 maja 2018 r.; wersja po uzgodnieniach "
                    "z września 2018 r.",
                },
            ]
        },
        "documents": _dialog_documents(),
        "children": [
            {
                "type": "ExpertPanelPage",
                "slug": "panel-ekspertow",
                "title": "Panel ekspertów",
                "fields": {
                    "purpose": p(
                        "Eksperci doradzają merytorycznie i czuwają nad tym, by proces "
                        "powstawania programu był naprawdę partycypacyjny: recenzują "
                        "wypracowane treści i uzupełniają je rekomendacjami."
                    )
                },
                "orderables": {
                    "members": [
                        {"person": Who(name), "role": role}
                        for (_title, name), role in zip(
                            EXPERTS,
                            [
                                "ekspertka",
                                "ekspertka",
                                "ekspertka",
                                "ekspert",
                                "ekspert",
                                "ekspert",
                            ],
                            strict=True,
                        )
                    ]
                },
            },
            {
                "type": "MeetingPage",
                "slug": "spotkanie-inaugurujace",
                "title": "Spotkanie inaugurujące prace nad Programem",
                "fields": {
                    "kind": "plenary",
                    "status": "held",
                    "intro": "Otwarte spotkanie plenarne, na którym wspólnie opisaliśmy wizję i "
                    "wartości dialogu publicznego w Warszawie.",
                    "body": p(
                        "Zapraszamy wszystkich zainteresowanych: mieszkańców, aktywistów, "
                        "organizacje i urzędników. Program będzie pierwszym programem "
                        "wykonawczym strategii #Warszawa2030, której wizję tworzą aktywni "
                        "mieszkańcy, przyjazne miejsce i otwarta metropolia."
                    ),
                    "sign_language_interpreter": True,
                    "step_free_access": True,
                    "accessibility_notes": "Sala na parterze.",
                    "outcome_summary": p(
                        "Sekretarz miasta Marcin Wojdat mówił o założeniach dialogu, dyrektor "
                        "CKS Krzysztof Mikołajewski o celach programu, a Paulina Nowicka o tym, "
                        "jak dialog wpisuje się w strategię #Warszawa2030. W części "
                        "warsztatowej powstały elementy wizji dialogu na rok 2023:",
                    )
                    + ul(
                        "mieszkańcy i urząd razem rozpoznają problemy i potrzeby miasta;",
                        "więcej decyzji zapada po konsultacjach, a ich uzasadnienie jest jasne;",
                        "uczestnicy rozmów szanują inne perspektywy i opierają się na danych;",
                        "ścieżki decyzyjne są zrozumiałe, a mieszkańcy wiedzą, jak dotrzeć do "
                        "informacji publicznej.",
                    ),
                },
                "orderables": {
                    "sessions": [
                        session(at(2016, 12, 8, 17, 30), None, PALAC, room="sala na parterze")
                    ],
                    "facilitators": [
                        {"person": Who("Marcin Wojdat"), "role": "wystąpienie otwierające"},
                        {"person": Who("Krzysztof Mikołajewski"), "role": "cele programu"},
                        {"person": Who("Paulina Nowicka"), "role": "strategia #Warszawa2030"},
                    ],
                    "agenda_items": [
                        {"time": datetime.time(17, 30), "title": "Powitanie i założenia dialogu"},
                        {"title": "Cele programu i krótka diagnoza"},
                        {"title": "Dialog w strategii #Warszawa2030"},
                        {"title": "Warsztat: wizja dialogu w Warszawie"},
                    ],
                },
            },
            {
                "type": "MeetingPage",
                "slug": "warsztaty-diagnostyczno-kreatywne",
                "title": "Warsztaty diagnostyczno-kreatywne",
                "fields": {
                    "kind": "workshop",
                    "status": "held",
                    "intro": "Cykl warsztatów: diagnoza stanu dialogu publicznego w Warszawie "
                    "i pomysły na działania programu. Wystarczy wybrać jeden termin.",
                    "body": p(
                        "Trzy terminy w Centrum Komunikacji Społecznej (12, 16 i 24 stycznia, "
                        "godz. 17:30, sala konferencyjna na I piętrze) oraz dwa dodatkowe: "
                        "23 stycznia w Klubokawiarni Jaś i Małgosia i 31 stycznia o 18:00 "
                        "w Centrum Kreatywności.",
                        "Zgłoszenia: dialog@um.warszawa.pl – do 10 stycznia 2017 r. na terminy "
                        "podstawowe, do 22 stycznia i do 30 stycznia na terminy dodatkowe.",
                    ),
                    "registration_mode": "email",
                    "registration_email": "dialog@um.warszawa.pl",
                    "registration_deadline": at(2017, 1, 10, 23, 59),
                    "outcome_summary": p(
                        "Wnioski z warsztatów przedstawiliśmy 8 lutego 2017 r. na spotkaniu "
                        "podsumowującym."
                    ),
                },
                "orderables": {
                    "sessions": [
                        session(at(2017, 1, 12, 17, 30), None, SENATORSKA, label="Termin 1"),
                        session(at(2017, 1, 16, 17, 30), None, SENATORSKA, label="Termin 2"),
                        session(at(2017, 1, 23, 17, 30), None, JAS, label="Termin dodatkowy"),
                        session(at(2017, 1, 24, 17, 30), None, SENATORSKA, label="Termin 3"),
                        session(
                            at(2017, 1, 31, 18, 0), None, KREATYWNOSC, label="Termin dodatkowy"
                        ),
                    ],
                    "facilitators": [
                        {"person": Who("Agata Gójska"), "role": "prowadząca"},
                        {"person": Who("Aleksandra Winiarska"), "role": "prowadząca"},
                    ],
                    "outcome_documents": [{"document": Doc(DOC_WORKSHOPS)}],
                },
            },
            {
                "type": "MeetingPage",
                "slug": "podsumowanie-warsztatow",
                "title": "Spotkanie podsumowujące warsztaty",
                "fields": {
                    "kind": "summary",
                    "status": "held",
                    "intro": "Wnioski z warsztatów diagnostyczno-kreatywnych i proponowany "
                    "schemat pracy zespołów roboczych.",
                    "step_free_access": True,
                    "outcome_summary": p(
                        "Zebraliśmy materiały z pracy grup; zachęcaliśmy do udziału w zespołach."
                    ),
                },
                "orderables": {
                    "sessions": [session(at(2017, 2, 8, 17, 30), None, PALAC)],
                    "outcome_documents": [{"document": Doc(DOC_WORKSHOPS)}],
                },
            },
            *_dialog_working_groups(),
            {
                "type": "MeetingPage",
                "slug": "rezultaty-i-etapu",
                "title": "Spotkanie prezentujące rezultaty I etapu prac",
                "fields": {
                    "kind": "plenary",
                    "status": "held",
                    "intro": "Prezentacja diagnozy i celów programu wypracowanych w I etapie.",
                    "step_free_access": True,
                },
                "orderables": {
                    "sessions": [session(at(2017, 5, 24, 17, 30), None, PALAC)],
                    "outcome_documents": [{"document": Doc(DOC_STAGE1)}],
                },
            },
            {
                "type": "ConsultationPage",
                "slug": "konsultacje-2018",
                "title": "Konsultacje społeczne projektu Programu dialog",
                "fields": {
                    "subject": "Projekt Programu dialog: cztery filary dialogu i działania, "
                    "które mają ułatwić mieszkańcom wspólne decydowanie o mieście.",
                    "start_date": day(2018, 3, 2),
                    "end_date": day(2018, 3, 31),
                    "status": "report_published",
                    "comments_email": "konsultacje@um.warszawa.pl",
                    "channels": p(
                        "Dwa otwarte spotkania: 13 marca o 17:00 w Centrum Aktywności "
                        "Międzypokoleniowej „Nowolipie” (ul. Nowolipie 25b) i 19 marca o 17:30 "
                        "w Warsztacie Warszawskim (pl. Konstytucji 4).",
                        "Uwagi można było przesyłać do 31 marca 2018 r. na adres "
                        "konsultacje@um.warszawa.pl.",
                    ),
                    "draft_document": Doc(DOC_DRAFT),
                    "report": Doc(DOC_REPORT),
                    "results": p(
                        "Po konsultacjach program poprawiono i przekazano do uzgodnień w "
                        "urzędzie; wersję z września 2018 r. opublikowaliśmy w listopadzie 2020 r."
                    ),
                },
                "children": [
                    {
                        "type": "MeetingPage",
                        "slug": "spotkanie-konsultacyjne-nowolipie",
                        "title": "Spotkanie konsultacyjne w CAM „Nowolipie”",
                        "fields": {
                            "kind": "consultation",
                            "status": "held",
                            "intro": "Rozmowa o projekcie Programu dialog.",
                            "step_free_access": True,
                        },
                        "orderables": {
                            "sessions": [session(at(2018, 3, 13, 17, 0), None, NOWOLIPIE)]
                        },
                    },
                    {
                        "type": "MeetingPage",
                        "slug": "spotkanie-konsultacyjne-warsztat-warszawski",
                        "title": "Spotkanie konsultacyjne w Warsztacie Warszawskim",
                        "fields": {
                            "kind": "consultation",
                            "status": "held",
                            "intro": "Drugie otwarte spotkanie o projekcie Programu dialog.",
                        },
                        "orderables": {
                            "sessions": [session(at(2018, 3, 19, 17, 30), None, WARSZTAT)]
                        },
                    },
                ],
            },
            {
                "type": "MeetingPage",
                "slug": "spotkanie-otwarte-jubileusz",
                "title": "Spotkanie otwarte: 10 lat Programu Dialog",
                # Dates follow the day of the first load; later loads keep them
                # while the meeting still lies ahead.
                "keep_if_upcoming": True,
                "fields": {
                    "kind": "plenary",
                    "status": "planned",
                    "intro": "Dziesięć lat po spotkaniu inaugurującym sprawdzamy razem, co "
                    "z programu działa, a co trzeba zmienić. Dwie sesje tego samego dnia.",
                    "body": p(
                        "Sesja przedpołudniowa jest dla organizacji i rad dzielnic, "
                        "popołudniowa dla wszystkich mieszkańców. Obowiązuje rejestracja; "
                        "gdy zabraknie miejsc, zapiszemy Cię na listę rezerwową."
                    ),
                    "sign_language_interpreter": True,
                    "step_free_access": True,
                    "accessibility_notes": "Sala na parterze; pętla indukcyjna na życzenie.",
                    "registration_mode": "form",
                    "registration_deadline": deadline,
                    "waiting_list": True,
                },
                "orderables": {
                    "sessions": [
                        session(
                            at(y, m, d, 10, 0),
                            at(y, m, d, 13, 0),
                            PALAC,
                            label="Sesja I",
                            capacity=40,
                        ),
                        session(
                            at(y, m, d, 17, 30),
                            at(y, m, d, 20, 30),
                            PALAC,
                            label="Sesja II",
                            capacity=40,
                        ),
                    ],
                    "agenda_items": [
                        {"title": "Dziesięć lat dialogu: co się udało"},
                        {"title": "Praca w grupach: czego brakuje"},
                        {"title": "Wnioski i dalsze kroki"},
                    ],
                },
            },
            _news(
                "o-programie",
                day(2016, 11, 22),
                "Ruszają prace nad Programem Rozwoju Dialogu",
                "Warszawa zaczyna pisać program, który uporządkuje formy dialogu z mieszkańcami.",
                paragraph(
                    p(
                        "Program ma pokazać, co w dialogu działa dobrze, gdzie są braki i jak "
                        "rozwijać współpracę mieszkańców z samorządem."
                    )
                ),
            ),
            _news(
                "zaproszenie-na-inauguracje",
                day(2016, 11, 23),
                "Zaproszenie na spotkanie inaugurujące",
                "8 grudnia 2016 r. o 17:30 w Pałacu Ślubów; będzie tłumacz języka migowego.",
                paragraph(p("Budynek jest przystosowany do potrzeb osób z niepełnosprawnościami.")),
            ),
            _news(
                "podsumowanie-inauguracji",
                day(2016, 12, 13),
                "Podsumowanie spotkania inaugurującego",
                "Uczestnicy opisali wizję dialogu w Warszawie w roku 2023.",
            ),
            _news(
                "zaproszenie-na-warsztaty",
                day(2016, 12, 21),
                "Zapraszamy na warsztaty diagnostyczno-kreatywne",
                "12, 16 lub 24 stycznia o 17:30 przy ul. Senatorskiej 27 – wybierz termin.",
            ),
            _news(
                "dodatkowe-terminy-warsztatow",
                day(2017, 1, 24),
                "Dodatkowe terminy warsztatów",
                "23 stycznia w Klubokawiarni Jaś i Małgosia i 31 stycznia w Centrum Kreatywności.",
            ),
            _news(
                "podsumowanie-warsztatow-aktualnosc",
                day(2017, 2, 13),
                "Podsumowaliśmy cykl warsztatów",
                "Materiały z pracy grup są do pobrania.",
                document(DOC_WORKSHOPS),
            ),
            _news(
                "nabor-do-zespolow",
                day(2017, 2, 14),
                "Nabór do zespołów roboczych",
                "Trzy zespoły, do 16 osób każdy; zgłoszenia do 24 lutego 2017 r.",
            ),
            _news(
                "podsumowanie-i-etapu",
                day(2017, 6, 7),
                "Podsumowanie I etapu prac",
                "Prezentacja ze spotkania 24 maja w Pałacu Ślubów.",
                document(DOC_STAGE1),
            ),
            _news(
                "konsultacje-projektu",
                day(2018, 3, 5),
                "Konsultujemy projekt Programu dialog",
                "Do 31 marca 2018 r. czekamy na uwagi; zapraszamy też na dwa spotkania.",
                document(DOC_DRAFT),
            ),
            _news(
                "raport-z-konsultacji",
                day(2018, 5, 30),
                "Raport z konsultacji Programu dialog",
                "Podsumowanie uwag zgłoszonych od 2 do 31 marca 2018 r.",
                document(DOC_REPORT),
            ),
            _news(
                "program-po-konsultacjach",
                day(2020, 11, 19),
                "Program dialog po konsultacjach i uzgodnieniach",
                "Publikujemy wersję programu z września 2018 r.",
                document(DOC_FINAL),
            ),
            {
                "type": "DocumentLibraryPage",
                "slug": "dokumenty",
                "title": "Dokumenty",
                "fields": {"intro": p("Raporty, prezentacje i kolejne wersje programu.")},
            },
        ],
    }


# --- Programme 2: Program Wspólnota ------------------------------------------


def _wspolnota():
    def group(number, slug, title, area, place, dates, optional_last):
        sessions = []
        for n, (m, d) in enumerate(dates, start=1):
            label = f"Spotkanie {n}"
            if optional_last and n == len(dates):
                label += " (termin opcjonalny)"
            sessions.append(
                session(at(2018, m, d, 17, 0), at(2018, m, d, 20, 0), place, label=label)
            )
        return {
            "type": "WorkingGroupPage",
            "slug": slug,
            "title": title,
            "fields": {
                "area_of_work": p(area),
                "membership_rules": p(
                    "W grupie są 24 osoby: przedstawiciele organizacji, partnerstw lokalnych "
                    "i grup nieformalnych, mieszkańcy oraz urzędnicy. Uczestnicy deklarują "
                    "udział we wszystkich spotkaniach. Przy większej liczbie zgłoszeń "
                    "decyduje różnorodność doświadczeń w rozwijaniu wspólnot lokalnych.",
                    "Zgłoszenia z krótkim opisem doświadczeń: wspolnota@um.warszawa.pl do "
                    "30.09.2018; odpowiedź do 08.10.2018.",
                ),
                "max_members": 24,
                "open_recruitment": True,
                "recruitment_start": day(2018, 9, 18),
                "recruitment_end": day(2018, 9, 30),
                "application_email": "wspolnota@um.warszawa.pl",
            },
            "children": [
                {
                    "type": "MeetingPage",
                    "slug": f"spotkania-grupy-{number}",
                    "title": f"Spotkania grupy {number}",
                    "fields": {
                        "kind": "working_group",
                        "status": "held",
                        "intro": "Spotkania w godz. 17:00–20:00. Ostatni termin odbędzie się, "
                        "jeśli dwa pierwsze nie wystarczą."
                        if optional_last
                        else "Spotkania w godz. 17:00–20:00.",
                    },
                    "orderables": {"sessions": sessions},
                }
            ],
        }

    return {
        "type": "ProgrammePage",
        "slug": "program-wspolnota",
        "title": "Program Wspólnota",
        "fields": {
            "summary": "Program wykonawczy do celu 1.1 strategii #Warszawa2030 „Dbamy o siebie "
            "nawzajem”: budowanie i wzmacnianie wspólnot lokalnych oraz kompetencji "
            "społecznych mieszkańców.",
            "status": "completed",
            "start_date": day(2018, 5, 15),
            "end_date": day(2018, 12, 27),
            "lead_organisation": Org(CKS),
            "coordinator": Who("Aleksandra Żórawska"),
            "contact_email": "wspolnota@um.warszawa.pl",
            "contact_phone": "22 443 34 36",
            "body": [
                paragraph(
                    p(
                        "Program określa działania i narzędzia, dzięki którym mieszkańcy mogą "
                        "działać na rzecz swojej okolicy, a także działania edukacyjne i "
                        "kulturalne budujące otwartość, wrażliwość na potrzeby innych i troskę "
                        "o najbliższe otoczenie. Ważna jest też tożsamość lokalna."
                    )
                ),
                heading("Trzy obszary pracy"),
                goal("Otwartość i nawiązywanie relacji w środowisku lokalnym"),
                goal("Aktywność społeczna i współpraca lokalna"),
                goal("Poczucie przynależności i identyfikacja z miejscem"),
                paragraph(
                    p(
                        "Kontakt: Aleksandra Żórawska (22 443 34 36), Adam Markuszewski "
                        "(22 443 34 48), wspolnota@um.warszawa.pl."
                    )
                ),
            ],
        },
        "orderables": {
            "phases": [
                {
                    "name": "Konsultacje wizji i wartości",
                    "start_date": day(2018, 5, 15),
                    "end_date": day(2018, 7, 3),
                    "description": "Spotkanie 29 maja 2018 r. i rozmowy podczas Warszawskiego "
                    "Dnia Sąsiada.",
                },
                {
                    "name": "Nabór do grup roboczych",
                    "start_date": day(2018, 9, 18),
                    "end_date": day(2018, 10, 8),
                    "description": "Zgłoszenia do 30 września, odpowiedzi do 8 października.",
                },
                {
                    "name": "Praca grup roboczych",
                    "start_date": day(2018, 10, 16),
                    "end_date": day(2018, 11, 27),
                    "description": "Osiem spotkań trzech grup i spotkanie plenarne.",
                },
                {
                    "name": "Analiza socjologiczna i cele szczegółowe",
                    "start_date": day(2018, 11, 28),
                    "end_date": day(2018, 12, 27),
                    "description": "Raport z badania wspólnot lokalnych.",
                },
            ]
        },
        "documents": [
            _doc(
                DOC_WSP_REPORT,
                "report",
                day(2018, 7, 3),
                "pdf",
                "program-wspolnota-raport-z-konsultacji-2018.pdf",
                [
                    "Konsultacje wizji i wartości, na których ma opierać się wspieranie wspólnot "
                    "lokalnych w Warszawie (maj–czerwiec 2018 r.).",
                    "Uczestnicy spotkania 29 maja w CAM Nowolipie mówili o potrzebie miejsc, "
                    "w których sąsiedzi mogą się poznać; wielokrotnie przywoływano Podwórko "
                    "Trzech Kasztanów jako przykład przestrzeni zaprojektowanej wspólnie.",
                ],
                "Wnioski z konsultacji wizji programu.",
            ),
            _doc(
                DOC_WSP_ANALYSIS,
                "analysis",
                day(2018, 12, 27),
                "pdf",
                "analiza-socjologiczna-wspolnot-lokalnych-2018.pdf",
                [
                    "Badanie mechanizmów, które wspierają i blokują działania mieszkańców we "
                    "wspólnotach lokalnych oraz budują identyfikację z miejscem (zakończone "
                    "w listopadzie 2018 r.).",
                    "Studium przypadku: osiedle Pszczeli Gród, gdzie rada osiedla i "
                    "nieformalna grupa sąsiedzka wspólnie prowadzą ogród i kalendarz wydarzeń.",
                    "Rekomendacje posłużą do zbudowania celów szczegółowych Programu Wspólnota.",
                ],
                "Raport końcowy z badania wspólnot lokalnych.",
            ),
            _doc(
                DOC_WSP_PRESENTATION,
                "presentation",
                day(2018, 12, 27),
                "pdf",
                "program-wspolnota-prezentacja-grup-roboczych-2018.pdf",
                [
                    "Podsumowanie ośmiu spotkań trzech grup roboczych (październik–listopad "
                    "2018 r.): proponowane obszary i kierunki działań.",
                    "Grupy zaproponowały narzędzie o nazwie wspólnotowy barometr do corocznego "
                    "badania więzi sąsiedzkich w dzielnicach.",
                ],
                "Obszary i kierunki działań wypracowane przez grupy.",
            ),
        ],
        "children": [
            {
                "type": "ConsultationPage",
                "slug": "konsultacje-wizji",
                "title": "Konsultacje wizji Programu Wspólnota",
                "fields": {
                    "subject": "Wizja i wartości, na których ma się opierać wspieranie rozwoju "
                    "wspólnot lokalnych w Warszawie.",
                    "start_date": day(2018, 5, 15),
                    "end_date": day(2018, 6, 30),
                    "status": "report_published",
                    "comments_email": "wspolnota@um.warszawa.pl",
                    "channels": p(
                        "Otwarte spotkanie konsultacyjne 29 maja 2018 r. w CAM Nowolipie, "
                        "rozmowy podczas wydarzeń Warszawskiego Dnia Sąsiada oraz uwagi "
                        "wysyłane e-mailem."
                    ),
                    "report": Doc(DOC_WSP_REPORT),
                    "results": p(
                        "Wizja stała się punktem wyjścia do diagnozy i pracy grup roboczych."
                    ),
                },
                "children": [
                    {
                        "type": "MeetingPage",
                        "slug": "spotkanie-konsultacyjne-29-maja",
                        "title": "Otwarte spotkanie konsultacyjne Programu Wspólnota",
                        "fields": {
                            "kind": "consultation",
                            "status": "held",
                            "intro": "Wspólnie opisujemy wizję i wartości programu.",
                            "sign_language_interpreter": True,
                            "step_free_access": True,
                            "accessibility_notes": "Budynek przystosowany do potrzeb osób "
                            "z niepełnosprawnościami.",
                        },
                        "orderables": {
                            "sessions": [
                                session(at(2018, 5, 29, 17, 30), at(2018, 5, 29, 20, 0), NOWOLIPIE)
                            ]
                        },
                    }
                ],
            },
            group(
                "I",
                "grupa-i-otwartosc-i-relacje",
                "Grupa I: otwartość i relacje w środowisku lokalnym",
                "Budowanie otwartości i wspieranie nawiązywania relacji w środowisku lokalnym.",
                WIELOKULTUROWE,
                [(10, 22), (11, 5), (11, 19)],
                True,
            ),
            group(
                "II",
                "grupa-ii-aktywnosc-i-wspolpraca",
                "Grupa II: aktywność społeczna i współpraca lokalna",
                "Rozwijanie aktywności społecznej i współpracy lokalnej.",
                PACA,
                [(10, 16), (10, 30), (11, 13)],
                False,
            ),
            group(
                "III",
                "grupa-iii-przynaleznosc",
                "Grupa III: przynależność i identyfikacja z miejscem",
                "Budowanie poczucia przynależności i identyfikacji z miejscem.",
                NOWOLIPIE,
                [(10, 24), (11, 7), (11, 21)],
                True,
            ),
            {
                "type": "MeetingPage",
                "slug": "spotkanie-plenarne-27-listopada",
                "title": "Spotkanie podsumowujące grup roboczych",
                "fields": {
                    "kind": "plenary",
                    "status": "held",
                    "intro": "Wspólne spotkanie uczestników wszystkich grup: synteza "
                    "wypracowanych materiałów.",
                    "step_free_access": True,
                },
                "orderables": {
                    "sessions": [session(at(2018, 11, 27, 17, 0), at(2018, 11, 27, 20, 0), PALAC)],
                    "outcome_documents": [{"document": Doc(DOC_WSP_PRESENTATION)}],
                },
            },
            _news(
                "rozpoczynamy-program-wspolnota",
                day(2018, 5, 15),
                "Rozpoczynamy prace nad Programem Wspólnota",
                "Zaczynamy od konsultacji wizji; zapraszamy 29 maja do CAM Nowolipie.",
            ),
            _news(
                "raport-z-konsultacji-wizji",
                day(2018, 7, 3),
                "Raport z konsultacji wizji Programu Wspólnota",
                "Zakończyliśmy pierwszy etap prac.",
                document(DOC_WSP_REPORT),
            ),
            _news(
                "nabor-do-grup-roboczych",
                day(2018, 9, 18),
                "Drugi etap: nabór do grup roboczych",
                "Trzy grupy po 24 osoby; zgłoszenia do 30 września 2018 r.",
            ),
            _news(
                "analiza-socjologiczna",
                day(2018, 12, 27),
                "Analiza socjologiczna wspólnot lokalnych",
                "Raport końcowy i prezentacja z pracy grup roboczych.",
                document(DOC_WSP_ANALYSIS),
                document(DOC_WSP_PRESENTATION),
            ),
            {
                "type": "DocumentLibraryPage",
                "slug": "dokumenty",
                "title": "Dokumenty",
                "fields": {"intro": p("Raporty i prezentacje Programu Wspólnota.")},
            },
        ],
    }


# --- Programme 3: the Norway-grants project ----------------------------------


def _norway():
    return {
        "type": "ProgrammePage",
        "slug": "wzmacnianie-partycypacji-spolecznej",
        "title": "Wzmacnianie mechanizmu partycypacji społecznej w m.st. Warszawie",
        "fields": {
            "summary": "Projekt Centrum Komunikacji Społecznej (czerwiec 2009 – kwiecień "
            "2011), dofinansowany przez Norwegię z Norweskiego Mechanizmu Finansowego: "
            "szkolenia urzędników, platforma konsultacji i modelowe konsultacje we wszystkich "
            "dzielnicach.",
            "status": "completed",
            "start_date": day(2009, 6, 1),
            "end_date": day(2011, 4, 30),
            "lead_organisation": Org(CKS),
            "funding": "Norweski Mechanizm Finansowy",
            "body": [
                heading("Dlaczego"),
                paragraph(
                    p(
                        "Warszawa ma największy budżet inwestycyjny w Polsce. Inwestycje "
                        "poprawiają życie, ale bywają źródłem sporów, które opóźniają lub "
                        "wstrzymują prace. Konsultacje prowadzone wcześnie pozwalają włączyć "
                        "mieszkańców w planowanie i znaleźć porozumienie."
                    )
                ),
                heading("Cele"),
                goal("Większy udział mieszkańców w zarządzaniu miastem i dzielnicą"),
                goal("Wiedza i umiejętności urzędników w komunikacji i konsultacjach"),
                goal("Rozwój dialogu społecznego w Warszawie"),
                heading("Co zrobiliśmy"),
                paragraph(
                    ul(
                        "szkolenia z komunikacji i konsultacji oraz studia podyplomowe "
                        "z mediacji i negocjacji dla urzędników;",
                        "wizyty studyjne w Oslo;",
                        "internetowa platforma konsultacji społecznych;",
                        "modelowe konsultacje w każdej z 18 dzielnic i jedna ogólnomiejska – "
                        "każda na inny temat i inną metodą;",
                        "podręcznik dobrych praktyk konsultacji;",
                        "gra miejska promująca partycypację;",
                        "konferencja podsumowująca dla samorządów i organizacji z całej Polski.",
                    )
                ),
                document(DOC_HANDBOOK, "Pobierz podręcznik dobrych praktyk"),
            ],
        },
        "orderables": {
            "phases": [
                {
                    "name": "Realizacja projektu",
                    "start_date": day(2009, 6, 1),
                    "end_date": day(2011, 4, 30),
                    "description": "Szkolenia, wizyty studyjne, platforma i konsultacje "
                    "modelowe w 18 dzielnicach.",
                }
            ],
            "partners": [{"organisation": Org(NORWAY_PARTNER), "role": "partner norweski"}],
        },
        "documents": [
            _doc(
                DOC_HANDBOOK,
                "handbook",
                day(2011, 4, 30),
                "pdf",
                "podrecznik-dobrych-praktyk-konsultacji-2011.pdf",
                [
                    "Jak przygotować i przeprowadzić konsultacje społeczne: doświadczenia "
                    "z 18 konsultacji dzielnicowych i jednej ogólnomiejskiej (2009–2011).",
                    "Rozdział o metodzie, którą uczestnicy wizyt studyjnych w Oslo nazwali "
                    "Fiordowa Metoda: najpierw spacer po terenie inwestycji, potem rozmowa.",
                    "Każda dzielnica konsultowała inny temat i użyła innej metody.",
                ],
                "Dobre praktyki z konsultacji modelowych w dzielnicach.",
            )
        ],
        "children": [
            _news(
                "projekt-zakonczony",
                day(2011, 4, 30),
                "Projekt zakończony",
                "Podsumowanie dwóch lat wzmacniania partycypacji w Warszawie.",
                paragraph(
                    p(
                        "Beneficjentami bezpośrednimi byli urzędnicy zajmujący się "
                        "konsultacjami, pośrednimi – mieszkańcy Warszawy i okolic."
                    )
                ),
                document(DOC_HANDBOOK),
            ),
            {
                "type": "DocumentLibraryPage",
                "slug": "dokumenty",
                "title": "Dokumenty",
                "fields": {"intro": p("Materiały projektu.")},
            },
        ],
    }


def build(now: datetime.datetime) -> dict:
    return {
        "organisations": ORGANISATIONS,
        "people": PEOPLE,
        "venues": VENUES,
        "home": {
            "fields": {
                "intro": p(
                    "Programy dialogu i współpracy Warszawy: spotkania, konsultacje, zespoły "
                    "robocze i dokumenty – w jednym miejscu."
                )
            }
        },
        "index": {
            "type": "ProgrammeIndexPage",
            "slug": "programy",
            "title": "Programy",
            "keep_existing": True,
            "fields": {"intro": p("Programy, w których mieszkańcy współtworzą politykę miasta.")},
        },
        "programmes": [_dialog(now), _wspolnota(), _norway()],
    }
