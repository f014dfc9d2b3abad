"""English version of Warsaw's demo "Program Wspólnota" (translated with wagtail-localize).

The programme, its parent index and every page below it become synced
wagtail-localize translations whose segments are filled from ``STRINGS``
(fixed English text, not a machine translator), then published. Segments not
listed here (slugs, names) keep the Polish source text, as wagtail-localize
does for untranslated segments. Pages already translated are left alone, so
loading the demo again changes nothing, except once for a translation made
before inline rows (phases, session labels) became translatable: its rows
still show Polish text that ``STRINGS`` translates, and it is synced again.
"""

from __future__ import annotations

from wagtail.models import Locale

PROGRAMME_SLUG = "program-wspolnota"

STRINGS = {
    "Programy": "Programmes",
    "Programy, w których mieszkańcy współtworzą politykę miasta.": (
        "Programmes in which residents help shape the city's policies."
    ),
    "Program Wspólnota": "Community Programme (Program Wspólnota)",
    "Program wykonawczy do celu 1.1 strategii #Warszawa2030 „Dbamy o siebie nawzajem”: "
    "budowanie i wzmacnianie wspólnot lokalnych oraz kompetencji społecznych mieszkańców.": (
        "Implementing programme for goal 1.1 of the #Warszawa2030 strategy, “We take care of "
        "each other”: building and strengthening local communities and residents' social skills."
    ),
    "Program określa działania i narzędzia, dzięki którym mieszkańcy mogą działać na rzecz "
    "swojej okolicy, a także działania edukacyjne i kulturalne budujące otwartość, wrażliwość "
    "na potrzeby innych i troskę o najbliższe otoczenie. Ważna jest też tożsamość lokalna.": (
        "The programme sets out actions and tools that help residents act for their "
        "neighbourhood, as well as educational and cultural activities that build openness, "
        "sensitivity to the needs of others and care for one's surroundings. Local identity "
        "matters too."
    ),
    "Trzy obszary pracy": "Three areas of work",
    "Otwartość i nawiązywanie relacji w środowisku lokalnym": (
        "Openness and building relationships in the local community"
    ),
    "Aktywność społeczna i współpraca lokalna": "Civic activity and local cooperation",
    "Poczucie przynależności i identyfikacja z miejscem": (
        "A sense of belonging and identification with the place"
    ),
    "Kontakt: Aleksandra Żórawska (22 443 34 36), Adam Markuszewski (22 443 34 48), "
    "wspolnota@um.warszawa.pl.": (
        "Contact: Aleksandra Żórawska (22 443 34 36), Adam Markuszewski (22 443 34 48), "
        "wspolnota@um.warszawa.pl."
    ),
    "Konsultacje wizji Programu Wspólnota": "Consultation on the Community Programme's vision",
    "Wizja i wartości, na których ma się opierać wspieranie rozwoju wspólnot lokalnych "
    "w Warszawie.": (
        "The vision and values on which support for local communities in Warsaw is to be based."
    ),
    "Otwarte spotkanie konsultacyjne 29 maja 2018 r. w CAM Nowolipie, rozmowy podczas "
    "wydarzeń Warszawskiego Dnia Sąsiada oraz uwagi wysyłane e-mailem.": (
        "An open consultation meeting on 29 May 2018 at CAM Nowolipie, conversations during "
        "Warsaw Neighbours' Day events, and comments sent by e-mail."
    ),
    "Wizja stała się punktem wyjścia do diagnozy i pracy grup roboczych.": (
        "The vision became the starting point for the diagnosis and the working groups."
    ),
    "Otwarte spotkanie konsultacyjne Programu Wspólnota": (
        "Open consultation meeting of the Community Programme"
    ),
    "Wspólnie opisujemy wizję i wartości programu.": (
        "Together we describe the programme's vision and values."
    ),
    "Budynek przystosowany do potrzeb osób z niepełnosprawnościami.": (
        "The building is accessible to people with disabilities."
    ),
    "Grupa I: otwartość i relacje w środowisku lokalnym": (
        "Group I: openness and relationships in the local community"
    ),
    "Budowanie otwartości i wspieranie nawiązywania relacji w środowisku lokalnym.": (
        "Building openness and supporting new relationships in the local community."
    ),
    "W grupie są 24 osoby: przedstawiciele organizacji, partnerstw lokalnych i grup "
    "nieformalnych, mieszkańcy oraz urzędnicy. Uczestnicy deklarują udział we wszystkich "
    "spotkaniach. Przy większej liczbie zgłoszeń decyduje różnorodność doświadczeń "
    "w rozwijaniu wspólnot lokalnych.": (
        "Each group has 24 members: representatives of organisations, local partnerships and "
        "informal groups, residents and city officials. Members commit to attending every "
        "meeting. If more people apply, a variety of experience in developing local "
        "communities decides."
    ),
    "Zgłoszenia z krótkim opisem doświadczeń: wspolnota@um.warszawa.pl do 30.09.2018; "
    "odpowiedź do 08.10.2018.": (
        "Apply with a short description of your experience to wspolnota@um.warszawa.pl by "
        "30.09.2018; answers by 08.10.2018."
    ),
    "Spotkania grupy I": "Group I meetings",
    "Spotkania w godz. 17:00–20:00. Ostatni termin odbędzie się, jeśli dwa pierwsze nie "
    "wystarczą.": (
        "Meetings from 17:00 to 20:00. The last date is used only if the first two are not enough."
    ),
    "Grupa II: aktywność społeczna i współpraca lokalna": (
        "Group II: civic activity and local cooperation"
    ),
    "Rozwijanie aktywności społecznej i współpracy lokalnej.": (
        "Developing civic activity and local cooperation."
    ),
    "Spotkania grupy II": "Group II meetings",
    "Spotkania w godz. 17:00–20:00.": "Meetings from 17:00 to 20:00.",
    "Grupa III: przynależność i identyfikacja z miejscem": (
        "Group III: belonging and identification with the place"
    ),
    "Budowanie poczucia przynależności i identyfikacji z miejscem.": (
        "Building a sense of belonging and identification with the place."
    ),
    "Spotkania grupy III": "Group III meetings",
    "Spotkanie podsumowujące grup roboczych": "Summary meeting of the working groups",
    "Wspólne spotkanie uczestników wszystkich grup: synteza wypracowanych materiałów.": (
        "A joint meeting of all groups' members: a synthesis of what they produced."
    ),
    "Rozpoczynamy prace nad Programem Wspólnota": "Work on the Community Programme begins",
    "Zaczynamy od konsultacji wizji; zapraszamy 29 maja do CAM Nowolipie.": (
        "We start with a consultation on the vision; join us on 29 May at CAM Nowolipie."
    ),
    "Raport z konsultacji wizji Programu Wspólnota": (
        "Report on the consultation of the Community Programme's vision"
    ),
    "Zakończyliśmy pierwszy etap prac.": "The first stage of work is complete.",
    "Drugi etap: nabór do grup roboczych": "Second stage: recruiting the working groups",
    "Trzy grupy po 24 osoby; zgłoszenia do 30 września 2018 r.": (
        "Three groups of 24 people; applications by 30 September 2018."
    ),
    "Analiza socjologiczna wspólnot lokalnych": "Sociological analysis of local communities",
    "Raport końcowy i prezentacja z pracy grup roboczych.": (
        "Final report and a presentation of the working groups' results."
    ),
    "Dokumenty": "Documents",
    "Raporty i prezentacje Programu Wspólnota.": "Reports and presentations of the programme.",
    # Inline rows (translated row by row since programmes 0002): phases, session labels.
    "Konsultacje wizji i wartości": "Consultation of the vision and values",
    "Spotkanie 29 maja 2018 r. i rozmowy podczas Warszawskiego Dnia Sąsiada.": (
        "A meeting on 29 May 2018 and conversations during Warsaw Neighbours' Day."
    ),
    "Nabór do grup roboczych": "Recruiting the working groups",
    "Zgłoszenia do 30 września, odpowiedzi do 8 października.": (
        "Applications by 30 September, answers by 8 October."
    ),
    "Praca grup roboczych": "Working groups at work",
    "Osiem spotkań trzech grup i spotkanie plenarne.": (
        "Eight meetings of three groups and a plenary meeting."
    ),
    "Analiza socjologiczna i cele szczegółowe": "Sociological analysis and detailed goals",
    "Raport z badania wspólnot lokalnych.": "Report on the study of local communities.",
    "Spotkanie 1": "Meeting 1",
    "Spotkanie 2": "Meeting 2",
    "Spotkanie 3": "Meeting 3",
    "Spotkanie 3 (termin opcjonalny)": "Meeting 3 (optional date)",
}

#: Text fields of inline rows (phases, sessions, agenda items, topics, roles).
ROW_FIELDS = ("name", "description", "label", "room", "title", "topic", "summary", "role")


def _rows_untranslated(page) -> bool:
    """Whether a translated page still shows a row text that ``STRINGS`` translates.

    Translations made before inline rows became translatable copied the rows
    in Polish; this finds them, so that a later load translates them once.
    """
    from modelcluster.models import get_all_child_relations

    for relation in get_all_child_relations(type(page)):
        if relation.related_model._meta.app_label != "programmes":
            continue
        for row in getattr(page, relation.get_accessor_name()).all():
            for name in ROW_FIELDS:
                if getattr(row, name, None) in STRINGS:
                    return True
    return False


def translate_wspolnota(report=None) -> int:
    """Publish the English version of Program Wspólnota; returns how many pages were added."""
    from programmes.localization import FixedTranslator, translate_pages
    from programmes.models import ProgrammePage

    locale = Locale.objects.filter(language_code="en").first()
    programme = ProgrammePage.objects.filter(
        slug=PROGRAMME_SLUG, locale__language_code="pl"
    ).first()
    if locale is None or programme is None:
        return 0  # a city without English, or another dataset
    pages = [programme.get_parent(), programme, *programme.get_descendants().order_by("path")]
    missing = [page for page in pages if not page.has_translation(locale)]
    stale = [
        page
        for page in pages
        if page not in missing and _rows_untranslated(page.get_translation(locale).specific)
    ]
    if missing or stale:
        todo = {page.pk for page in missing + stale}
        translate_pages(
            [page for page in pages if page.pk in todo],
            locale,
            translator=FixedTranslator(STRINGS),
        )
    return len(missing)
