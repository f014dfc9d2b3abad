"""Public forms: meeting registration and working-group application.

Both carry a honeypot field (``website``): it is hidden from people and
assistive technology, so anything typed into it came from a bot.
"""

from __future__ import annotations

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import MeetingPageSession

from .models import ACCESSIBILITY_CHOICES, Application
from .services import ApplicantData, PersonData, public_places

HONEYPOT = "website"


class _HoneypotMixin(forms.Form):
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_bot(self) -> bool:
        return bool((self.data.get(HONEYPOT) or "").strip())


class SessionChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, counts=None, waiting_list=False, **kwargs):
        self.counts = counts or {}
        self.waiting_list = waiting_list
        super().__init__(*args, **kwargs)

    def label_from_instance(self, session):
        when = formats.date_format(timezone.localtime(session.start), "DATETIME_FORMAT")
        label = f"{session.label} – {when}" if session.label else when
        places = public_places(session)
        if places is None:
            return label
        remaining = max(0, places - self.counts.get(session.pk, 0))
        if remaining:
            return _("%(session)s (places left: %(n)d)") % {"session": label, "n": remaining}
        if self.waiting_list:
            return _("%(session)s (full – you will join the waiting list)") % {"session": label}
        return _("%(session)s (full)") % {"session": label}


class RegistrationForm(_HoneypotMixin):
    name = forms.CharField(label=_("First name and surname"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("We send the confirmation and the cancellation link here."),
    )
    organisation = forms.CharField(
        label=_("Organisation (optional)"), max_length=255, required=False
    )
    sessions = SessionChoiceField(
        label=_("Sessions"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose the sessions you will attend."),
    )
    accessibility_needs = forms.MultipleChoiceField(
        label=_("Do you need any of these to take part?"),
        choices=ACCESSIBILITY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    accessibility_notes = forms.CharField(
        label=_("Other needs (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text=_("e.g. dietary needs, childcare, materials in large print."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree to the processing of my personal data for registration for this meeting, "
            "as described in the privacy notice."
        ),
        required=True,
    )

    field_order = [
        "name",
        "email",
        "organisation",
        "sessions",
        "accessibility_needs",
        "accessibility_notes",
        "consent",
        "website",
    ]

    def __init__(self, *args, meeting, sessions, counts=None, privacy_notice_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.privacy_notice_url = privacy_notice_url
        ids = [s.pk for s in sessions]
        field = self.fields["sessions"]
        field.queryset = MeetingPageSession.objects.filter(pk__in=ids).order_by(
            "sort_order", "start"
        )
        field.counts = counts or {}
        field.waiting_list = meeting.waiting_list
        self.single_session = sessions[0] if len(sessions) == 1 else None
        if self.single_session is not None:
            # One date: nothing to choose, so no question to answer.
            del self.fields["sessions"]

    def chosen_sessions(self):
        if self.single_session is not None:
            return [self.single_session]
        return list(self.cleaned_data["sessions"])

    def person(self, language: str = "") -> PersonData:
        data = self.cleaned_data
        return PersonData(
            name=data["name"],
            email=data["email"],
            organisation=data.get("organisation", ""),
            accessibility_needs=list(data.get("accessibility_needs") or []),
            accessibility_notes=data.get("accessibility_notes", ""),
            language=language,
            privacy_notice_url=self.privacy_notice_url,
        )


class ApplicationForm(_HoneypotMixin):
    name = forms.CharField(label=_("First name and surname"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(
        label=_("I apply as"),
        choices=Application.ROLE_CHOICES,
        widget=forms.RadioSelect,
    )
    organisation = forms.CharField(
        label=_("Organisation or office (optional)"), max_length=255, required=False
    )
    motivation = forms.CharField(
        label=_("Why do you want to join the group?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
    )
    experience = forms.CharField(
        label=_("Your experience relevant to the group's work (optional)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        required=False,
        help_text=_(
            "When there are more applicants than places, members are chosen for a "
            "diversity of experience."
        ),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree to the processing of my personal data for the recruitment to this working "
            "group, as described in the privacy notice."
        ),
        required=True,
    )

    field_order = [
        "name",
        "email",
        "role",
        "organisation",
        "motivation",
        "experience",
        "consent",
        "website",
    ]

    def __init__(self, *args, privacy_notice_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.privacy_notice_url = privacy_notice_url

    def applicant(self, language: str = "") -> ApplicantData:
        data = self.cleaned_data
        return ApplicantData(
            name=data["name"],
            email=data["email"],
            role=data["role"],
            organisation=data.get("organisation", ""),
            motivation=data["motivation"],
            experience=data.get("experience", ""),
            language=language,
            privacy_notice_url=self.privacy_notice_url,
        )
