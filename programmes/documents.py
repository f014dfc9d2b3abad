"""ProgrammeDocument: the custom Wagtail document model (WAGTAILDOCS_DOCUMENT_MODEL)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document
from wagtail.search import index

from . import conf
from .extraction import RefusedUpload, sha256_of, sniff


class ProgrammeDocument(AbstractDocument):
    KIND_CHOICES = [
        ("report", _("Report")),
        ("minutes", _("Minutes")),
        ("programme_text", _("Programme text")),
        ("analysis", _("Analysis")),
        ("presentation", _("Presentation")),
        ("handbook", _("Handbook")),
        ("other", _("Other")),
    ]
    EXTRACTION_CHOICES = [
        ("pending", _("Waiting for text extraction")),
        ("done", _("Text extracted")),
        ("not_extractable", _("Text not extractable")),
    ]

    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=KIND_CHOICES,
        default="other",
        help_text=_("What sort of document this is."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("One or two sentences shown in lists.")
    )
    publication_date = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("When the document was published."),
    )
    language = models.CharField(
        _("language"), max_length=5, default="pl", help_text=_("Language code, e.g. pl.")
    )
    programme = models.ForeignKey(
        "programmes.ProgrammePage",
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        help_text=_("Programme this document belongs to."),
    )
    mime_type = models.CharField(_("content type"), max_length=120, blank=True, editable=False)
    page_count = models.PositiveIntegerField(_("page count"), null=True, blank=True, editable=False)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True, editable=False)
    extracted_text = models.TextField(_("extracted text"), blank=True, editable=False)
    extraction_status = models.CharField(
        _("text extraction"),
        max_length=20,
        choices=EXTRACTION_CHOICES,
        default="pending",
        editable=False,
    )
    extraction_error = models.CharField(max_length=500, blank=True, editable=False)

    admin_form_fields = Document.admin_form_fields + (
        "kind",
        "description",
        "publication_date",
        "language",
        "programme",
    )

    search_fields = AbstractDocument.search_fields + [
        index.SearchField("description"),
        index.SearchField("extracted_text"),
        index.FilterField("kind"),
        index.FilterField("programme"),
    ]

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["kind", "publication_date"])]

    @property
    def year(self):
        return self.publication_date.year if self.publication_date else None

    @property
    def extension(self) -> str:
        return self.file_extension.lower()

    def clean(self):
        super().clean()
        upload = self.file
        if not upload:
            return
        size = getattr(upload, "size", None)
        if size is not None and size > conf.upload_max_bytes():
            limit_mb = conf.upload_max_bytes() // (1024 * 1024)
            raise ValidationError(
                {"file": _("The file is larger than %(mb)s MB.") % {"mb": limit_mb}}
            )
        try:
            upload.seek(0)
            data = upload.read()
            upload.seek(0)
            self.mime_type = sniff(data, upload.name)
        except RefusedUpload as error:
            raise ValidationError({"file": str(error)}) from error

    def refresh_file_metadata(self) -> None:
        """Checksum, size and MIME from the stored bytes (also used by imports)."""
        with self.open_file() as handle:
            self.checksum = sha256_of(handle)
            head = handle.read()
        if not self.mime_type:
            try:
                self.mime_type = sniff(head, self.file.name)
            except RefusedUpload:
                self.mime_type = "application/octet-stream"
        self.file_size = len(head)
