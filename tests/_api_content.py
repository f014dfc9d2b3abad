"""Demo-like content for the API tests: one programme with every page type.

Built with the plugin's factories under the active site's HomePage (call it
with a city's schema active). Returns the objects the tests look at.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import wagtail_factories
from django.utils import timezone
from wagtail.models import PageViewRestriction

from programmes import factories as f
from programmes.models import (
    HomePage,
    MeetingPageAgendaItem,
    MeetingPageDocument,
    MeetingPageFacilitator,
    ProgrammePagePartner,
    ProgrammePagePhase,
)


def build_content() -> SimpleNamespace:
    today = timezone.localdate()
    home = HomePage.objects.order_by("path").first()
    index = f.ProgrammeIndexPageFactory(parent=home, title="Programy", slug="programy")
    photo = wagtail_factories.ImageFactory(title="Portret koordynatorki")
    coordinator = f.PersonFactory(name="Anna Kowalska", photo=photo)
    office = f.OrganisationFactory(name="Centrum Komunikacji Społecznej")
    ngo = f.OrganisationFactory(name="Stowarzyszenie Dialog", kind="ngo")
    report = f.ProgrammeDocumentFactory(
        title="Raport z warsztatów diagnostycznych",
        file__data=f.pdf_bytes("Raport z warsztatów diagnostycznych w Warszawie."),
        file__filename="raport.pdf",
        kind="report",
        publication_date=datetime.date(2017, 5, 10),
    )
    programme = f.ProgrammePageFactory(
        parent=index,
        title="Program Rozwoju Dialogu",
        slug="program-rozwoju-dialogu",
        lead_organisation=office,
        coordinator=coordinator,
        funding="Mechanizm Finansowy EOG",
        body=[
            {"type": "heading", "value": {"text": "Cele programu", "level": "h2"}},
            {"type": "paragraph", "value": "<p>Więcej <b>dialogu</b>.</p>"},
            {
                "type": "goal",
                "value": {"title": "Lepsza komunikacja", "description": "<p>Opis.</p>"},
            },
            {"type": "quote", "value": {"text": "Rozmawiajmy.", "attribution": "Mieszkanka"}},
            {
                "type": "image",
                "value": {"image": photo.pk, "alt_text": "Warsztaty", "decorative": False},
            },
            {"type": "document", "value": {"document": report.pk, "label": "Pobierz raport"}},
        ],
        phases=[
            ProgrammePagePhase(
                name="Diagnoza",
                start_date=today - datetime.timedelta(days=400),
                end_date=today - datetime.timedelta(days=200),
            ),
            ProgrammePagePhase(
                name="Warsztaty",
                start_date=today - datetime.timedelta(days=199),
                end_date=today + datetime.timedelta(days=100),
                description="Warsztaty w dzielnicach.",
            ),
        ],
        partners=[ProgrammePagePartner(organisation=ngo, role="partner norweski")],
    )
    report.programme = programme
    report.save()
    minutes = f.ProgrammeDocumentFactory(
        title="Protokół ze spotkania plenarnego",
        kind="minutes",
        publication_date=datetime.date(2018, 3, 13),
        programme=programme,
        language="pl",
    )
    english = f.ProgrammeDocumentFactory(
        title="Summary in English",
        kind="analysis",
        publication_date=datetime.date(2018, 6, 1),
        programme=programme,
        language="en",
    )
    venue = f.VenueFactory(
        name="Pałac Ślubów",
        address="pl. Zamkowy 6",
        postcode="00-277",
        city="Warszawa",
        latitude="52.248000",
        longitude="21.014000",
    )
    workshop = f.MeetingPageFactory(
        parent=programme,
        title="Warsztat diagnostyczny na Pradze",
        kind="workshop",
        registration_mode="email",
        registration_email="zapisy@um.example.pl",
        sessions=[
            f.session(days=3, venue=venue, label="Sesja I", capacity=30),
            f.session(days=10, venue=None, online_url="https://example.org/live", capacity=50),
        ],
    )
    MeetingPageAgendaItem.objects.create(
        page=workshop, time=datetime.time(17, 0), title="Powitanie", sort_order=0
    )
    MeetingPageFacilitator.objects.create(
        page=workshop, person=coordinator, role="moderatorka", sort_order=0
    )
    plenary = f.MeetingPageFactory(
        parent=programme,
        title="Spotkanie plenarne",
        kind="plenary",
        status="held",
        outcome_summary="<p>Przyjęto wnioski.</p>",
        sessions=[f.session(days=-30, venue=venue)],
    )
    MeetingPageDocument.objects.create(page=plenary, document=minutes, sort_order=0)
    cancelled = f.MeetingPageFactory(
        parent=programme,
        title="Odwołane spotkanie",
        kind="summary",
        status="cancelled",
        sessions=[f.session(days=5, venue=venue)],
    )
    open_space = f.OpenSpaceSessionPageFactory(
        parent=programme,
        title="Open Space: miasto dialogu",
        report=report,
        sessions=[f.session(days=20, venue=venue)],
    )
    expert_panel = f.ExpertPanelPageFactory(parent=programme, title="Zespół ekspertów")
    consultation = f.ConsultationPageFactory(
        parent=programme, title="Konsultacje projektu", draft_document=minutes, report=report
    )
    consultation_meeting = f.MeetingPageFactory(
        parent=consultation,
        title="Spotkanie konsultacyjne",
        kind="consultation",
        sessions=[f.session(days=15, venue=venue)],
    )
    working_group = f.WorkingGroupPageFactory(parent=programme, title="Grupa robocza")
    group_meeting = f.MeetingPageFactory(
        parent=working_group,
        title="Spotkanie grupy roboczej",
        kind="working_group",
        sessions=[f.session(days=-60, venue=venue)],
    )
    news_old = f.NewsPageFactory(
        parent=programme, title="Ruszają warsztaty", date=datetime.date(2017, 3, 1)
    )
    news_new = f.NewsPageFactory(
        parent=programme, title="Raport opublikowany", date=datetime.date(2018, 5, 1)
    )
    library = f.DocumentLibraryPageFactory(parent=programme, title="Dokumenty")
    draft = f.MeetingPageFactory(
        parent=programme, title="Szkic spotkania", live=False, sessions=[f.session(days=4)]
    )
    private = f.MeetingPageFactory(
        parent=programme, title="Spotkanie zamknięte", sessions=[f.session(days=6)]
    )
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    other_programme = f.ProgrammePageFactory(
        parent=index, title="Budżet obywatelski", slug="budzet-obywatelski", phases=[]
    )
    other_meeting = f.MeetingPageFactory(
        parent=other_programme,
        title="Spotkanie o budżecie",
        kind="plenary",
        sessions=[f.session(days=8, venue=venue)],
    )
    return SimpleNamespace(**locals())
