"""Input forms of the strategy pages. They only parse input; the rules live in services.py.

Choices of owners, departments and focus areas are limited to the strategy's own
municipality, and every editable form carries the row's `version` for conflict checks.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.organisation.models import Department
from apps.strategy.choices import GoalStatus, InitiativeStatus, StrategyStatus
from apps.strategy.models import FocusArea, Goal, Initiative, KkrTheme, Strategy
from apps.strategy.services.rules import OWNER_ROLES, POLITICAL_FIELDS, political_text_note


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


def owner_candidates(municipality_id: int):
    """The people offered as owner of a goal or an initiative: active users of the
    strategy's municipality with a role that carries the work (coordinators, leaders, HR;
    services.rules.OWNER_ROLES). KKR analysts and system administrators are left out: they
    never follow up on a goal, and the service refuses them as owners."""
    return User.objects.filter(
        municipality_id=municipality_id, is_active=True, role__in=OWNER_ROLES
    ).order_by("first_name", "last_name", "username")


class VersionedForm(forms.ModelForm):
    """A model form with the hidden `version` the editor loaded (see services.EditConflict)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["version"].initial = self.instance.version


class FollowUpLockMixin:
    """On an adopted strategy the political fields (services.rules.POLITICAL_FIELDS[kind])
    are shown read-only with a note; only the follow-up fields can be changed. A posted
    value that differs from the adopted text is refused at its field (the service refuses
    it too, so nothing is written either way)."""

    political_kind = ""

    def lock_political_fields(self, strategy: Strategy) -> None:
        self.locked_fields = ()
        if strategy.status != StrategyStatus.ADOPTED:
            return
        self.locked_fields = tuple(
            name for name in POLITICAL_FIELDS[self.political_kind] if name in self.fields
        )
        for name in self.locked_fields:
            field = self.fields[name]
            field.disabled = True
            field.required = False
            field.help_text = political_text_note()

    def clean(self):
        data = super().clean()
        for name in self.locked_fields:
            key = self.add_prefix(name)
            if key not in self.data:
                continue
            field = self.fields[name]
            raw = field.widget.value_from_datadict(self.data, self.files, key)
            field.disabled = False
            try:
                changed = field.has_changed(self.get_initial_for_field(field, name), raw)
            finally:
                field.disabled = True
            if changed:
                self.add_error(name, political_text_note())
        return data


class StrategyForm(VersionedForm):
    class Meta:
        model = Strategy
        fields = ["title", "version_label", "period_start", "period_end", "purpose"]
        labels = {
            "title": _("Titel"),
            "version_label": _("Version"),
            "period_start": _("Periode fra (år)"),
            "period_end": _("Periode til (år)"),
            "purpose": _("Formål"),
        }
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Perioden kan ikke slutte, før den begynder."))
        return data


class StrategyCopyForm(forms.Form):
    version_label = forms.CharField(
        label=_("Navn på den nye version"),
        max_length=100,
        help_text=_("Fx ”Version 2026”. Den nye version starter som udkast."),
    )


class StrategyAdoptForm(forms.Form):
    """The adoption date on the adopt confirmation page: the first adoption's date when the
    strategy was adopted before (adopting again keeps it), else today."""

    adopted_on = forms.DateField(
        label=_("Vedtagelsesdato"),
        required=False,
        widget=DateInput(),
        help_text=_("Den dato, byrådet eller udvalget vedtog strategien."),
    )

    def __init__(self, *args, strategy: Strategy, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adopted_on"].initial = strategy.adopted_on or today


class FocusAreaForm(VersionedForm):
    class Meta:
        model = FocusArea
        fields = ["title", "description", "kkr_theme"]
        labels = {
            "title": _("Titel"),
            "description": _("Beskrivelse"),
            "kkr_theme": _("KKR-tema"),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kkr_theme"].queryset = KkrTheme.objects.all()
        self.fields["kkr_theme"].empty_label = _("Intet KKR-tema")


class GoalForm(FollowUpLockMixin, VersionedForm):
    """A goal's text, owner, follow-up date and status; `with_department` adds the
    department (the inline grid form leaves it out: the cell decides the department);
    `with_status=False` leaves the status out (the goal page sets it with a note).
    On an adopted strategy the wording is read-only (FollowUpLockMixin)."""

    political_kind = "goal"

    owner = OwnerChoiceField(queryset=User.objects.none(), required=False, label=_("Ansvarlig"))

    class Meta:
        model = Goal
        fields = ["text", "department", "owner", "follow_up_on", "status"]
        labels = {
            "text": _("Målsætning"),
            "department": _("Fagområde"),
            "follow_up_on": _("Opfølgningsdato"),
            "status": _("Status"),
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "follow_up_on": DateInput()}

    def __init__(
        self,
        *args,
        strategy: Strategy,
        with_department: bool = True,
        with_status: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if not with_status:
            # The goal page sets the status with a note ("Status og opfølgning"), one field.
            del self.fields["status"]
        self.fields["owner"].queryset = owner_candidates(strategy.municipality_id)
        self.fields["owner"].empty_label = _("Ingen ansvarlig")
        if with_department:
            self.fields["department"].queryset = Department.objects.filter(
                municipality_id=strategy.municipality_id
            )
            self.fields["department"].empty_label = _("Fælles mål (hele kommunen)")
            self.fields["department"].help_text = ""
        else:
            del self.fields["department"]
        self.lock_political_fields(strategy)


class StatusUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"))
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hvad er sket siden sidst, og hvad er næste skridt?"),
    )

    def __init__(self, *args, kind: str, initial_status: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = GoalStatus.choices if kind == "goal" else InitiativeStatus.choices
        self.fields["status"].choices = choices
        if initial_status and not self.is_bound:
            self.fields["status"].initial = initial_status


class GoalStatusOverrideForm(forms.Form):
    """ "Vælg anden status": another status than the indicators suggest, with the reason."""

    REASON_REQUIRED = _(
        "Skriv en begrundelse: hvorfor passer nøgletallenes forslag ikke på målsætningen?"
    )

    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    reason = forms.CharField(
        label=_("Begrundelse"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Vises på målsætningen og i dens historik."),
        error_messages={"required": REASON_REQUIRED},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, goal=None, **kwargs):
        kwargs.setdefault("prefix", "anden-status")
        super().__init__(*args, **kwargs)
        if goal is not None and not self.is_bound:
            self.fields["status"].initial = goal.status
            self.fields["version"].initial = goal.version

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(self.REASON_REQUIRED)
        return reason


class InitiativeForm(FollowUpLockMixin, VersionedForm):
    """An initiative's content and follow-up; on an adopted strategy the content is
    read-only (FollowUpLockMixin)."""

    political_kind = "initiative"
    owner = OwnerChoiceField(
        queryset=User.objects.none(), required=False, label=_("Ansvarlig bruger")
    )

    class Meta:
        model = Initiative
        fields = [
            "reference",
            "title",
            "focus_area",
            "goals",
            "department",
            "status",
            "implemented_year",
            "purpose",
            "aim",
            "actions",
            "follow_up",
            "follow_up_on",
            "baseline",
            "budget_dkk",
            "budget_note",
            "responsible",
            "owner",
            "next_step",
            "origin",
        ]
        labels = {
            "reference": _("Nummer"),
            "title": _("Titel"),
            "focus_area": _("Indsatsområde"),
            "goals": _("Målsætninger"),
            "department": _("Fagområde"),
            "status": _("Status"),
            "implemented_year": _("Implementeret år"),
            "purpose": _("Formål"),
            "aim": _("Mål"),
            "actions": _("Indsatser"),
            "follow_up": _("Opfølgning"),
            "follow_up_on": _("Opfølgningsdato"),
            "baseline": _("Baseline"),
            "budget_dkk": _("Budget (kr.)"),
            "budget_note": _("Ressourcer og økonomi"),
            "responsible": _("Ansvarlig (tekst)"),
            "next_step": _("Næste skridt"),
            "origin": _("Ophav"),
        }
        widgets = {
            "follow_up_on": DateInput(),
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in ("purpose", "aim", "actions", "follow_up", "baseline", "budget_note")
            },
            "next_step": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owner_candidates(strategy.municipality_id)
        self.fields["owner"].empty_label = _("Ingen")
        self.fields["focus_area"].queryset = FocusArea.objects.filter(strategy=strategy)
        self.fields["goals"].queryset = Goal.objects.filter(
            focus_area__strategy=strategy
        ).select_related("focus_area")
        self.fields["department"].queryset = Department.objects.filter(
            municipality_id=strategy.municipality_id
        )
        self.fields["department"].empty_label = _("Hele kommunen")
        self.fields["budget_dkk"].widget.attrs["min"] = 0
        self.lock_political_fields(strategy)

    def clean_budget_dkk(self):
        budget = self.cleaned_data.get("budget_dkk")
        if budget is not None and budget < 0:
            raise forms.ValidationError(_("Budgettet kan ikke være negativt."))
        return budget
