"""The search page's GET form: the same parameters and limits as /api/v1/search/."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .items import KIND_LABELS
from .query import ALL_LANGUAGES, MAX_PER_PAGE, MAX_RESULTS, PAGE_ID_MAX


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        max_length=200,
        required=False,
        help_text=_("Any form of a word works, with or without Polish letters."),
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Any"))] + [(k, v) for k, v in KIND_LABELS.items()],
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    programme = forms.IntegerField(
        label=_("Programme"), required=False, min_value=1, max_value=PAGE_ID_MAX
    )
    # Empty: the page's language (search/views.py); "all": every language.
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("This page's language")), (ALL_LANGUAGES, _("All languages"))]
        + list(settings.LANGUAGES),
    )
    city = forms.SlugField(label=_("City"), required=False, max_length=30)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_RESULTS)
    per_page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PER_PAGE)

    def clean(self):
        data = super().clean()
        page = data.get("page") or 1
        per_page = data.get("per_page") or 10
        if page * per_page > MAX_RESULTS:
            raise forms.ValidationError(_("That page is beyond the last reachable result."))
        data["page"], data["per_page"] = page, per_page
        return data
