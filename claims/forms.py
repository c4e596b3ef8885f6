"""Forms of the reviewer workspace. They validate input and shape it; services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from claims.models import Claim, EvidenceSource, Speaker


class InlineErrorsMixin:
    """Errors where the eye is, without any script: each field with an error says so
    (``aria-invalid``, ``aria-describedby`` pointing at its message, which the templates render
    beside the field with the id ``<field id>-error``), and the first one gets ``autofocus``, so
    the browser focuses it and scrolls it into view when the page (or an htmx swap) loads. A
    form with only non-field errors sets ``focus_non_field_errors`` for its template to focus
    the message box instead (``tabindex="-1" autofocus``)."""

    focus_non_field_errors = False

    def full_clean(self) -> None:
        super().full_clean()
        self._mark_errors()

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        self._mark_errors()

    def _mark_errors(self) -> None:
        if not self.is_bound or self._errors is None:
            return
        focused = False
        for name, field in self.fields.items():
            attrs = field.widget.attrs
            attrs.pop("autofocus", None)
            if name not in self._errors or field.widget.is_hidden:
                attrs.pop("aria-invalid", None)
                attrs.pop("aria-describedby", None)
                continue
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"{self[name].auto_id}-error"
            if not focused:
                attrs["autofocus"] = True
                focused = True
        self.focus_non_field_errors = not focused and bool(self.non_field_errors())


class DismissForm(InlineErrorsMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Claim.DismissReason.choices)


class AssignForm(InlineErrorsMixin, forms.Form):
    assignee = forms.CharField(label=_("Assign to"), required=False)

    def assignee_id(self, user) -> int | None:
        value = self.cleaned_data.get("assignee", "").strip()
        if value == "me":
            return user.pk
        if value in ("", "none"):
            return None
        if value.isdigit():
            return int(value)
        raise forms.ValidationError(_("Choose a person from the list."))


class BulkForm(InlineErrorsMixin, forms.Form):
    """The queue's bulk bar. Its ids are checkboxes in the table, so a missing selection or
    action is a form-level error shown above the bar; reason and assignee errors sit beside
    their selects."""

    ACTIONS = [("dismiss", _("Dismiss")), ("assign", _("Assign"))]
    action = forms.ChoiceField(choices=ACTIONS, required=False)
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=False)
    reason = forms.ChoiceField(
        label=_("Dismiss as"),
        choices=Claim.DismissReason.choices,
        required=False,
        widget=forms.Select(attrs={"id": "bulk-reason"}),
    )
    assignee = forms.CharField(
        label=_("Assign to"), required=False, widget=forms.Select(attrs={"id": "bulk-assignee"})
    )

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Any integer id is accepted; the service decides which ones may change.
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        self.fields["ids"].choices = [(v, v) for v in raw if str(v).isdigit()]
        self.fields["assignee"].widget.choices = [("me", _("me")), ("none", _("nobody"))] + [
            (str(u.pk), u.get_username()) for u in users
        ]

    def clean(self):
        data = super().clean()
        # Neither the checkboxes nor the buttons have a place for a message of their own.
        if self._errors.pop("ids", None) or not data.get("ids"):
            self.add_error(None, _("Select at least one claim."))
        if self._errors.pop("action", None) or not data.get("action"):
            self.add_error(None, _("Choose an action: dismiss or assign."))
        return data

    def checked_ids(self) -> set[str]:
        """The boxes to keep ticked when the queue is shown again with an error."""
        return {v for v in self.data.getlist("ids")} if hasattr(self.data, "getlist") else set()


class NoteForm(InlineErrorsMixin, forms.Form):
    text = forms.CharField(
        label=_("Add a note"),
        widget=forms.Textarea(attrs={"rows": 3, "id": "id_note_text"}),
        max_length=10_000,
    )


class EvidenceForm(InlineErrorsMixin, forms.Form):
    url = forms.URLField(label=_("Source address (URL)"), max_length=2048, assume_scheme="https")
    stance = forms.ChoiceField(label=_("Stance"), choices=EvidenceSource.Stance.choices)
    quote = forms.CharField(
        label=_("The quote that matters"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5_000,
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=500,
        help_text=_("Leave empty: it is fetched from the page."),
    )
    publisher = forms.CharField(label=_("Publisher"), required=False, max_length=300)


class VerdictForm(InlineErrorsMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    rating_label = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, empty_value=None, required=False, choices=()
    )
    summary = forms.CharField(
        label=_("Short verdict"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "One or two sentences; published as the rating's ratingExplanation in ClaimReview."
        ),
    )
    explanation = forms.CharField(
        label=_("Explanation (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def __init__(self, *args, labels=(), **kwargs):
        """``labels``: the claim's desk scale (``rating_labels_for``); only those are valid."""
        super().__init__(*args, **kwargs)
        scales = {label.scale.name for label in labels}
        field = self.fields["rating_label"]
        if len(scales) == 1:
            field.choices = [("", "—")] + [(label.pk, label.name) for label in labels]
            field.help_text = _("Scale: %(scale)s.") % {"scale": next(iter(scales))}
        else:  # an old verdict's label from another scale, or no scale configured
            field.choices = [("", "—")] + [
                (label.pk, f"{label.name} ({label.scale.name})") for label in labels
            ]


class SendBackForm(InlineErrorsMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("What should change?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CorrectionForm(VerdictForm):
    note = forms.CharField(
        label=_("Correction note (public)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Readers see this note with its date on the public verdict page."),
    )


class SavedFilterForm(InlineErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("Save the current filter as"),
        max_length=100,
        widget=forms.TextInput(attrs={"id": "saved-filter-name"}),
        error_messages={"required": _("Give the filter a name.")},
    )
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


class SpeakerForm(InlineErrorsMixin, forms.Form):
    """A speaker's details, typed by hand (no lookups)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Speaker.Kind.choices)
    role = forms.CharField(label=_("Role"), max_length=200, required=False)
    organisation = forms.CharField(label=_("Party or organisation"), max_length=200, required=False)
    wikidata_qid = forms.CharField(
        label=_("Wikidata QID"),
        max_length=20,
        required=False,
        help_text=_("For example Q567; typed by hand, nothing is looked up."),
    )


class SpeakerAliasForm(InlineErrorsMixin, forms.Form):
    alias = forms.CharField(label=_("Alias"), max_length=200)
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class SpeakerMergeForm(InlineErrorsMixin, forms.Form):
    into = forms.IntegerField(
        label=_("Merge into speaker number"),
        min_value=1,
        help_text=_("This speaker's claims and aliases move there; its name stays as an alias."),
    )


class SpeakerSplitForm(InlineErrorsMixin, forms.Form):
    claims = forms.TypedMultipleChoiceField(coerce=int, choices=(), label=_("Claims"))
    name = forms.CharField(label=_("Name of the new speaker"), max_length=200)
    role = forms.CharField(label=_("Role"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any integer id is accepted; the service refuses claims of another speaker.
        raw = self.data.getlist("claims") if hasattr(self.data, "getlist") else []
        self.fields["claims"].choices = [(v, v) for v in raw if str(v).isdigit()]


class ClaimSpeakerForm(InlineErrorsMixin, forms.Form):
    speaker = forms.IntegerField(
        label=_("Speaker number"),
        min_value=1,
        required=False,
        widget=forms.NumberInput(attrs={"id": "claim-speaker"}),
        help_text=_("Empty: the claim has no speaker."),
    )
