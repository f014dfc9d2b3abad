"""Admin forms with checks that span a page and its inline rows."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class MeetingPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        deadline = cleaned.get("registration_deadline")
        sessions = self.formsets.get("sessions")
        # Form.clean runs before the inline formsets are validated, so validate
        # them here; without it no session has cleaned_data and the check is skipped.
        if deadline and sessions is not None and sessions.is_valid():
            starts = [
                form.cleaned_data["start"]
                for form in sessions.forms
                if getattr(form, "cleaned_data", None)
                and form.cleaned_data.get("start")
                and not form.cleaned_data.get("DELETE")
            ]
            if starts and deadline > min(starts):
                self.add_error(
                    "registration_deadline",
                    _("Registration must close before the first session starts."),
                )
        return cleaned
