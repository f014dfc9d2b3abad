"""factory-boy factories for every page type, snippet and document of the plugin.

Used by tests of every app (and usable by the demo loader). Page factories
find a sensible parent when none is given: a programme index under the first
HomePage, a programme under the first index, a child page under a *new*
programme. Pass ``parent=`` to place a page exactly.

Orderables (sessions, phases, members...) are given as lists of unsaved
instances, so they are saved together with the page and the meeting's
denormalised session bounds are right from the first save::

    meeting = MeetingPageFactory(
        parent=programme,
        sessions=[session(days=3, hours=2), session(days=10, venue=None,
                  online_url="https://example.org/live")],
    )

File helpers (``pdf_bytes``, ``docx_bytes``) build real documents whose text
can be extracted, for tests and demo content.
"""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import factory
import wagtail_factories
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory
from wagtail.models import Page

from .documents import ProgrammeDocument
from .models import (
    ConsultationPage,
    DocumentLibraryPage,
    ExpertPanelPage,
    ExpertPanelPageMember,
    HomePage,
    MeetingPage,
    MeetingPageAgendaItem,
    MeetingPageDocument,
    MeetingPageFacilitator,
    MeetingPageSession,
    NewsPage,
    OpenSpaceSessionPage,
    OpenSpaceSessionPageTopic,
    ProgrammeIndexPage,
    ProgrammePage,
    ProgrammePagePartner,
    ProgrammePagePhase,
    WorkingGroupPage,
    WorkingGroupPageMember,
)
from .snippets import Organisation, Person, Venue

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


# --- File helpers ------------------------------------------------------------


def pdf_bytes(*paragraphs: str, pages: int = 1) -> bytes:
    """A real PDF with the given text on each of ``pages`` pages.

    Uses DejaVu Sans when installed so Polish letters survive; otherwise the
    core Helvetica font, which only takes Latin-1, so the text is folded.
    """
    from fpdf import FPDF

    pdf = FPDF()
    if DEJAVU.exists():
        pdf.add_font("DejaVu", fname=str(DEJAVU))
        font = "DejaVu"
    else:
        font = "Helvetica"
        paragraphs = tuple(_fold(p) for p in paragraphs)
    for _number in range(pages):
        pdf.add_page()
        pdf.set_font(font, size=12)
        for paragraph in paragraphs or ("Dokument",):
            pdf.multi_cell(0, 8, paragraph, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def encrypted_pdf_bytes(*paragraphs: str, password: str = "tajne") -> bytes:  # noqa: S107
    """A PDF that opens only with a password: extraction must give up politely."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(*paragraphs))))
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(*paragraphs: str, heading: str = "") -> bytes:
    """A real DOCX with an optional heading and the given paragraphs."""
    import docx

    document = docx.Document()
    if heading:
        document.add_heading(heading, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _fold(text: str) -> str:
    import unicodedata

    text = text.replace("ł", "l").replace("Ł", "L")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def session(
    days: float = 7,
    hours: float = 3,
    *,
    at: datetime.datetime | None = None,
    venue="new",
    **fields,
) -> MeetingPageSession:
    """An unsaved session starting ``days`` from now (or ``at``), lasting ``hours``.

    ``venue="new"`` creates a venue; pass a Venue, or None with ``online_url``.
    """
    start = at or (timezone.now() + datetime.timedelta(days=days)).replace(
        minute=0, second=0, microsecond=0
    )
    if venue == "new":
        venue = VenueFactory()
    fields.setdefault("end", start + datetime.timedelta(hours=hours))
    return MeetingPageSession(start=start, venue=venue, **fields)


# --- Snippets ----------------------------------------------------------------


class PersonFactory(DjangoModelFactory):
    name = factory.Faker("name", locale="pl_PL")
    title = "dr"
    affiliation = "Uniwersytet Warszawski"
    email = factory.Sequence(lambda n: f"osoba{n}@example.org")

    class Meta:
        model = Person


class OrganisationFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Centrum Komunikacji Społecznej {n}")
    kind = "city_office"
    address = "ul. Senatorska 27, 00-099 Warszawa"
    email = factory.Sequence(lambda n: f"biuro{n}@um.example.pl")
    phone = "22 443 12 34"
    website = "https://um.example.pl/"

    class Meta:
        model = Organisation


class VenueFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Pałac Ślubów {n}")
    address = "ul. Senatorska 27"
    postcode = "00-099"
    city = "Warszawa"
    step_free_access = True
    accessibility_notes = "Winda przy wejściu od ulicy Senatorskiej."

    class Meta:
        model = Venue


# --- Documents ---------------------------------------------------------------


class ProgrammeDocumentFactory(wagtail_factories.DocumentFactory):
    """A stored document; by default a small plain-text file.

    For a PDF: ``ProgrammeDocumentFactory(file__data=pdf_bytes("..."),
    file__filename="raport.pdf")``.
    """

    title = factory.Sequence(lambda n: f"Raport z konsultacji {n}")
    file = factory.django.FileField(
        filename="raport.txt", data="Raport z konsultacji społecznych programu.".encode()
    )
    kind = "report"
    publication_date = datetime.date(2018, 3, 13)
    language = "pl"
    collection = factory.LazyFunction(lambda: _root_collection())

    class Meta:
        model = ProgrammeDocument


def _root_collection():
    from wagtail.models import Collection

    return Collection.get_first_root_node()


def document_file(data: bytes, filename: str) -> ContentFile:
    """Wrap bytes as an uploaded file for a document's ``file`` field."""
    return ContentFile(data, name=filename)


# --- Pages -------------------------------------------------------------------


class _PlacedPageFactory(wagtail_factories.PageFactory):
    """A page factory that finds its default parent instead of becoming a root."""

    # "Społecznej" -> "spolecznej", as an editor would write it (slugify drops "ł").
    slug = factory.LazyAttribute(lambda obj: slugify(_fold(obj.title)))

    class Meta:
        abstract = True

    @classmethod
    def default_parent(cls) -> Page:
        return Page.get_first_root_node()

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("parent") is None:
            kwargs["parent"] = cls.default_parent()
        return super()._create(model_class, *args, **kwargs)


class HomePageFactory(_PlacedPageFactory):
    title = factory.Sequence(lambda n: f"Dialog w mieście {n}")
    intro = "<p>Programy dialogu i współpracy miasta z mieszkańcami.</p>"

    class Meta:
        model = HomePage


class ProgrammeIndexPageFactory(_PlacedPageFactory):
    title = factory.Sequence(lambda n: f"Programy {n}")
    intro = "<p>Programy, które piszemy razem z mieszkańcami.</p>"

    class Meta:
        model = ProgrammeIndexPage

    @classmethod
    def default_parent(cls):
        return HomePage.objects.order_by("path").first() or HomePageFactory()


class ProgrammePageFactory(_PlacedPageFactory):
    title = factory.Sequence(lambda n: f"Program Rozwoju Dialogu {n}")
    summary = "Program porządkuje zasady dialogu miasta z mieszkańcami i organizacjami."
    status = "in_progress"
    start_date = datetime.date(2016, 4, 1)
    end_date = datetime.date(2018, 12, 31)
    lead_organisation = factory.SubFactory(OrganisationFactory)
    coordinator = factory.SubFactory(PersonFactory)
    contact_email = "dialog@um.example.pl"
    contact_phone = "22 443 12 34"
    funding = "Środki własne miasta"
    body = factory.LazyFunction(
        lambda: [
            {"type": "heading", "value": {"text": "Cele programu", "level": "h2"}},
            {
                "type": "goal",
                "value": {
                    "title": "Lepsza komunikacja",
                    "description": "<p>Mieszkańcy wiedzą, jak zabrać głos.</p>",
                },
            },
        ]
    )
    phases = factory.LazyFunction(
        lambda: [
            ProgrammePagePhase(
                sort_order=0,
                name="Warsztaty diagnostyczne",
                start_date=datetime.date(2016, 4, 1),
                end_date=datetime.date(2016, 12, 31),
                description="Diagnoza stanu dialogu.",
            ),
            ProgrammePagePhase(
                sort_order=1,
                name="Konsultacje społeczne",
                start_date=datetime.date(2017, 1, 1),
                end_date=datetime.date(2018, 12, 31),
            ),
        ]
    )

    class Meta:
        model = ProgrammePage

    @classmethod
    def default_parent(cls):
        return ProgrammeIndexPage.objects.order_by("path").first() or ProgrammeIndexPageFactory()


class _ProgrammeChildFactory(_PlacedPageFactory):
    class Meta:
        abstract = True

    @classmethod
    def default_parent(cls):
        return ProgrammePageFactory()


class MeetingPageFactory(_ProgrammeChildFactory):
    title = factory.Sequence(lambda n: f"Warsztat diagnostyczny {n}")
    kind = "workshop"
    status = "planned"
    intro = "Spotkanie o tym, jak miasto rozmawia z mieszkańcami."
    body = "<p>Zapraszamy mieszkańców i organizacje pozarządowe.</p>"
    sign_language_interpreter = True
    step_free_access = True
    accessibility_notes = "Pętla indukcyjna w sali."
    registration_mode = "none"
    sessions = factory.LazyFunction(lambda: [session()])

    class Meta:
        model = MeetingPage


class OpenSpaceSessionPageFactory(MeetingPageFactory):
    title = factory.Sequence(lambda n: f"Open Space {n}")
    kind = "open_space"
    guiding_question = "Jak wspólnie tworzyć miasto dialogu?"
    method_description = "<p>Uczestnicy sami ustalają tematy rozmów.</p>"
    participant_groups = "Organizacje pozarządowe\nRadni miejscy\nUrzędnicy"
    report_due_date = datetime.date(2014, 10, 15)
    topics = factory.LazyFunction(
        lambda: [
            OpenSpaceSessionPageTopic(
                topic="Budżet obywatelski",
                convener="Jan Kowalski",
                summary="Więcej informacji o zasadach.",
            )
        ]
    )

    class Meta:
        model = OpenSpaceSessionPage


class ExpertPanelPageFactory(_ProgrammeChildFactory):
    title = factory.Sequence(lambda n: f"Zespół ekspertów {n}")
    purpose = "<p>Eksperci doradzają przy pisaniu programu.</p>"
    members = factory.LazyFunction(
        lambda: [ExpertPanelPageMember(person=PersonFactory(), role="przewodniczący")]
    )

    class Meta:
        model = ExpertPanelPage


class ConsultationPageFactory(_ProgrammeChildFactory):
    title = factory.Sequence(lambda n: f"Konsultacje projektu programu {n}")
    subject = "Projekt Programu Rozwoju Dialogu."
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=21))
    status = "open"
    comments_email = "konsultacje@um.example.pl"
    form_url = "https://um.example.pl/formularz"
    channels = "<p>Spotkania, e-mail i formularz.</p>"

    class Meta:
        model = ConsultationPage


class WorkingGroupPageFactory(_ProgrammeChildFactory):
    title = factory.Sequence(lambda n: f"Grupa robocza {n}")
    area_of_work = "<p>Standardy informowania mieszkańców.</p>"
    membership_rules = "<p>Połowa miejsc dla urzędników.</p>"
    max_members = 16
    officials_share = 50
    open_recruitment = True
    recruitment_start = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=3)
    )
    recruitment_end = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=10)
    )
    application_email = "grupy@um.example.pl"
    members = factory.LazyFunction(
        lambda: [WorkingGroupPageMember(person=PersonFactory(), role="official")]
    )

    class Meta:
        model = WorkingGroupPage


class NewsPageFactory(_ProgrammeChildFactory):
    title = factory.Sequence(lambda n: f"Ruszają warsztaty {n}")
    date = datetime.date(2018, 3, 13)
    intro = "Zapraszamy na kolejne spotkanie."
    body = factory.LazyFunction(
        lambda: [{"type": "paragraph", "value": "<p>Szczegóły wkrótce.</p>"}]
    )

    class Meta:
        model = NewsPage


class DocumentLibraryPageFactory(_ProgrammeChildFactory):
    title = factory.Sequence(lambda n: f"Dokumenty {n}")
    intro = "<p>Raporty, protokoły i prezentacje programu.</p>"

    class Meta:
        model = DocumentLibraryPage


# --- Orderables added after the page exists ----------------------------------
# After adding sessions this way, call ``page.save()`` so first/last session
# bounds are recomputed (or pass ``sessions=[...]`` to the page factory).


class MeetingPageSessionFactory(DjangoModelFactory):
    start = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=7)).replace(
            minute=0, second=0, microsecond=0
        )
    )
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=3))
    venue = factory.SubFactory(VenueFactory)
    room = "sala konferencyjna"

    class Meta:
        model = MeetingPageSession


class MeetingPageAgendaItemFactory(DjangoModelFactory):
    time = datetime.time(17, 0)
    title = "Powitanie i cele spotkania"

    class Meta:
        model = MeetingPageAgendaItem


class MeetingPageFacilitatorFactory(DjangoModelFactory):
    person = factory.SubFactory(PersonFactory)
    role = "moderator"

    class Meta:
        model = MeetingPageFacilitator


class MeetingPageDocumentFactory(DjangoModelFactory):
    document = factory.SubFactory(ProgrammeDocumentFactory)

    class Meta:
        model = MeetingPageDocument


class ProgrammePagePhaseFactory(DjangoModelFactory):
    name = "Faza"
    start_date = datetime.date(2016, 1, 1)
    end_date = datetime.date(2016, 12, 31)

    class Meta:
        model = ProgrammePagePhase


class ProgrammePagePartnerFactory(DjangoModelFactory):
    organisation = factory.SubFactory(OrganisationFactory, kind="ngo")
    role = "partner"

    class Meta:
        model = ProgrammePagePartner


class ExpertPanelPageMemberFactory(DjangoModelFactory):
    person = factory.SubFactory(PersonFactory)
    role = "członek"

    class Meta:
        model = ExpertPanelPageMember


class WorkingGroupPageMemberFactory(DjangoModelFactory):
    person = factory.SubFactory(PersonFactory)
    role = "resident"

    class Meta:
        model = WorkingGroupPageMember


class OpenSpaceSessionPageTopicFactory(DjangoModelFactory):
    topic = "Temat"
    convener = "Anna Nowak"

    class Meta:
        model = OpenSpaceSessionPageTopic
