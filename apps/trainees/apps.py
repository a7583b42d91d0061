from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The dropout reason and its free-text note are one piece of information: the note is where
# an unknown reason ("Stress og angst") lands on import, so it is as sensitive as the reason.
DROPOUT_REASON = "dropout_reason"
PERSON_OBJECT_TYPES = (
    "trainees.trainee",
    "trainees.placement",
    "trainees.absence",
    "supervisors.supervisor",
)


def dropout_reason_vocabulary():
    """Every code, name and alias of the dropout reasons: the forms a reason takes as an
    audited value (an import records the name, a catalogue edit the code)."""
    from apps.trainees.models import DropoutReason

    for code, name, aliases in DropoutReason.objects.values_list("code", "name", "aliases"):
        yield code
        yield name
        yield from aliases or ()


class TraineesConfig(AppConfig):
    name = "apps.trainees"
    verbose_name = _("Elever og studerende")

    def ready(self):
        from apps.core.audit import register_sensitive_meaning
        from apps.trainees.models import Trainee

        # Rule (SECURITY.md, "Health data"): a dropout reason may be an illness, so no
        # reason and no note is shown per person to a role without `can_see_health`.
        register_sensitive_meaning(
            name=DROPOUT_REASON,
            visible_to="can_see_health",
            fields=[(Trainee, "dropout_reason"), (Trainee, "dropout_note")],
            spellings=("Årsag til frafald", "Årsag", "Note", "reason"),
            vocabulary=dropout_reason_vocabulary,
            value_object_types=PERSON_OBJECT_TYPES,
        )
