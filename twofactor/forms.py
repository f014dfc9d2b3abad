"""The forms of two-step verification: a code from the authenticator app, or a recovery code."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=16,
        help_text=_("The 6-digit code your authenticator app shows now."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )


class LoginCodeForm(CodeForm):
    """Where an unused recovery code does as well as the app's code (sign-in, switching off)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.label = _("Code")
        field.help_text = _(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        )
        # Recovery codes have letters: a numeric keypad would not type them.
        field.widget.attrs["inputmode"] = "text"
