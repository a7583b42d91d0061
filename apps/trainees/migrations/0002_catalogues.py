"""Reference catalogues every database needs: programmes, dropout reasons and phases."""

from django.db import migrations

PROGRAMMES = [
    (
        "SSH",
        "Social- og sundhedshjælper",
        [
            "Social- og sundhedshjælperelev",
            "SOSU-hjælper",
            "Social-og Sundhedshjælper-elever (SSH)",
            "Social- og sundhedshjælper-elev",
        ],
    ),
    (
        "SSA",
        "Social- og sundhedsassistent",
        [
            "SOSU-assistent",
            "Social- og sundhedsassistentelev",
            "Social- og Sundhedsassistent-elever (SSA)",
            "Social- og sundhedsassistent-elev",
        ],
    ),
    (
        "PAU",
        "Pædagogisk assistent",
        [
            "Pædagogisk assistentuddannelse",
            "PAU-elev",
            "Pædagogisk Assistent Uddannelse (PAU)-elever",
            "Pædagogisk assistentelev",
        ],
    ),
    ("PAED", "Pædagog", ["Pædagogstuderende", "PÆD", "Pædagoguddannelsen", "Pædagogstuderende"]),
    ("LAER", "Lærer", ["Lærerstuderende", "LÆR", "Læreruddannelsen"]),
    (
        "SYG",
        "Sygeplejerske",
        ["Sygeplejestuderende", "Sygeplejerskestuderende", "Sygeplejerskeuddannelsen"],
    ),
    ("SOC", "Socialrådgiver", ["Socialrådgiverstuderende", "Socialrådgiveruddannelsen"]),
    ("FYS", "Fysioterapeut", ["Fysioterapeutstuderende", "Fysioterapeutuddannelsen"]),
    ("ERGO", "Ergoterapeut", ["Ergoterapeutstuderende", "Ergoterapeutuddannelsen"]),
    ("PSYKMO", "Psykomotorisk terapeut", ["Psykomotoriker", "Psykomotoriske studerende", "PMT"]),
    ("AUDIO", "Audiologopæd", ["Audiologopædstuderende"]),
    ("SUNDPL", "Sundhedsplejerske", ["Sundhedsplejerskestuderende"]),
    ("PSYK", "Psykolog", ["Psykologistuderende", "Psykologstuderende"]),
    ("KONTOR", "Kontorelev", ["Kontorelever", "Kontoruddannelsen"]),
    (
        "EJD",
        "Ejendomsservicetekniker",
        [
            "Ejendomsserviceteknikerlærling",
            "Lærlinge fra Ejendomsservice-tekniker-uddannelsen",
            "Ejendomsserviceteknikerelev",
        ],
    ),
]

DROPOUT_REASONS = [
    ("private", "Udfordringer i privatlivet", False, ["Private forhold", "Personlige forhold"]),
    ("academic", "For høje faglige krav", False, ["Faglige krav", "Fagligt for svært"]),
    ("absence", "Fravær", False, ["For højt fravær"]),
    (
        "illness",
        "Fysisk/psykisk sygdom",
        True,
        ["Sygdom", "Fysisk sygdom", "Psykisk sygdom", "Fysisk eller psykisk sygdom"],
    ),
    ("switch-ssa-ssh", "Skift fra SSA til SSH", False, ["Skift til SSH", "Skiftet til SSH"]),
    ("job-elsewhere", "Ansættelse i anden kommune", False, ["Job i anden kommune"]),
    ("moved", "Flyttet til anden kommune", False, ["Fraflytning", "Flyttet"]),
    ("death", "Dødsfald", False, ["Død"]),
    (
        "wrong-choice",
        "Forkert uddannelsesvalg",
        False,
        ["Forkert valg af uddannelse", "Fortrudt uddannelsesvalg"],
    ),
    ("other", "Andet", False, ["Ukendt", "Øvrige"]),
]


def _phases():
    phases = [("basic", "Grundforløb", "basic", None, ["GF", "GF2", "Grundforløb 2"])]
    for n in range(1, 7):
        phases.append(
            (
                f"training-{n}",
                f"Oplæringsperiode {n}",
                "training",
                n,
                [f"Praktik {n}", f"Praktikperiode {n}", f"OP{n}", f"Oplæring {n}"],
            )
        )
    for n in range(1, 7):
        phases.append(
            (
                f"school-{n}",
                f"Skoleperiode {n}",
                "school",
                n,
                [f"Skole {n}", f"SP{n}", f"Skoleforløb {n}"],
            )
        )
    return phases


def create_catalogues(apps, schema_editor):
    Programme = apps.get_model("trainees", "Programme")
    DropoutReason = apps.get_model("trainees", "DropoutReason")
    Phase = apps.get_model("trainees", "Phase")
    for order, (code, name, aliases) in enumerate(PROGRAMMES):
        Programme.objects.update_or_create(
            code=code, defaults={"name": name, "aliases": aliases, "order": order}
        )
    for order, (code, name, health, aliases) in enumerate(DROPOUT_REASONS):
        DropoutReason.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "is_health_related": health,
                "aliases": aliases,
                "order": order,
            },
        )
    for order, (code, name, kind, number, aliases) in enumerate(_phases()):
        Phase.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "number": number,
                "aliases": aliases,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("trainees", "0001_initial")]
    operations = [migrations.RunPython(create_catalogues, migrations.RunPython.noop)]
