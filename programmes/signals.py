"""Signals of the plugin, and the receivers that keep derived data fresh."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import Signal, receiver

from .documents import ProgrammeDocument

# Sent by the extraction task once a document's text is known; kwargs: instance.
document_text_extracted = Signal()


@receiver(pre_save, sender=ProgrammeDocument)
def _document_metadata(sender, instance, **kwargs):
    """New or replaced file: recompute checksum and type, extract text again."""
    if not instance.file:
        return
    previous = None
    if instance.pk:
        previous = sender.objects.filter(pk=instance.pk).values_list("file", flat=True).first()
    if previous != instance.file.name or not instance.checksum:
        if previous is not None and previous != instance.file.name:
            instance.mime_type = ""
        try:
            instance.refresh_file_metadata()
        except FileNotFoundError:
            return
        instance.extraction_status = "pending"


@receiver(post_save, sender=ProgrammeDocument)
def _queue_extraction(sender, instance, created, **kwargs):
    from .tasks import enqueue_extraction

    if created or instance.extraction_status == "pending":
        enqueue_extraction(instance)
