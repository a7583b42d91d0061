"""Preview, commit and undo on the real database with real files (import-spec.md)."""

import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection

from apps.core.models import AuditEntry
from apps.imports.errors import ImportRefused
from apps.imports.models import BatchStatus, ImportRow, RowAction
from apps.imports.services import (
    LOCK_NAMESPACE,
    import_batch_commit,
    import_batch_preview,
    import_batch_start,
    import_batch_undo,
)
from apps.imports.signals import import_applied
from apps.supervisors.models import Supervisor
from apps.trainees.models import Absence, DropoutReason, Placement, Trainee
from tests.factories import TraineeFactory
from tests.imports.conftest import SAMPLES, TRAINEE_HEADERS, trainee, trainee_row

pytestmark = pytest.mark.django_db


def preview(municipality, path, kind=""):
    batch = import_batch_start(
        municipality=municipality, actor=None, path=path, requested_kind=kind
    )
    return import_batch_preview(batch=batch, path=path)


def run(municipality, path, actor=None, kind=""):
    batch = preview(municipality, path, kind)
    assert batch.status == BatchStatus.READY, batch.message
    return import_batch_commit(batch=batch, actor=actor)


def errors(batch):
    return [
        f"Række {row.row_number}, kolonne {e['column']}: {e['message']}"
        for row in batch.rows.filter(action=RowAction.REJECTED).order_by("row_number")
        for e in row.errors
    ]


# --- the four samples --------------------------------------------------------------------


def test_the_four_samples_import_in_order_and_again_unchanged(hillerod, hr):
    counts = {}
    for name in (
        "hillerod_vejledere.xlsx",
        "hillerod_elever.xlsx",
        "hillerod_praktik.xlsx",
        "hillerod_fravaer.csv",
    ):
        batch = run(hillerod, SAMPLES / name, actor=hr)
        counts[batch.kind] = (batch.created_count, batch.rejected_count)
    assert counts == {
        "supervisors": (20, 0),
        "trainees": (60, 0),
        "placements": (58, 0),
        "absence": (90, 0),
    }
    assert Trainee.objects.filter(municipality=hillerod).count() == 60
    assert Supervisor.objects.filter(municipality=hillerod).count() == 20
    assert Placement.objects.count() == 58 and Absence.objects.count() == 90
    h2103 = Trainee.objects.get(hr_id="H2103")
    assert h2103.start_year == 2021 and h2103.end_year == 2024
    assert h2103.hired_into_workplace.name == "Hjemmeplejen Øst"
    assert h2103.hired_into_department.name == "Ældre og Sundhed"
    assert Absence.objects.get(trainee__hr_id="H2100", month=datetime.date(2024, 2, 1)).year == 2024
    again = run(hillerod, SAMPLES / "hillerod_elever.csv", actor=hr)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 60)
    for name in ("hillerod_praktik.xlsx", "hillerod_fravaer.csv", "hillerod_vejledere.xlsx"):
        batch = run(hillerod, SAMPLES / name)
        assert batch.unchanged_count and not (batch.created_count or batch.updated_count)


def test_changed_rows_show_old_and_new_and_rows_not_in_file_stay(hillerod, xlsx_file, hr):
    run(hillerod, xlsx_file([trainee_row("E1"), trainee_row("E2")]), actor=hr)
    before = Trainee.objects.get(hr_id="E1")
    path = xlsx_file(
        [trainee_row("E1", Status="Gennemført", Slutdato=datetime.date(2024, 8, 1))],
        name="v2.xlsx",
    )
    batch = preview(hillerod, path)
    row = batch.rows.get()
    assert row.action == RowAction.CHANGED
    assert row.changes == {
        "end_date": ["", "01.08.2024"],
        "status": ["Aktiv", "Gennemført"],
    }
    import_batch_commit(batch=batch, actor=hr)
    after = Trainee.objects.get(hr_id="E1")
    assert after.status == "completed" and after.end_year == 2024
    assert after.version == before.version + 1
    assert Trainee.objects.filter(hr_id="E2").exists()  # an import never deletes
    entry = AuditEntry.objects.filter(action="trainees.trainee.imported", object_id=str(after.pk))
    assert entry.count() == 2
    assert entry.first().changes["status"] == ["Aktiv", "Gennemført"]


def test_birth_year_becomes_age_band_and_is_never_stored(hillerod, xlsx_file):
    batch = preview(hillerod, xlsx_file([trainee_row("E1", Fødselsår=1990)]))
    row = batch.rows.get()
    assert "birth_year" not in row.data and 1990 not in row.data.values()
    import_batch_commit(batch=batch, actor=None)
    assert Trainee.objects.get(hr_id="E1").age_band == "30-39"  # 2023 - 1990 = 33


def test_cpr_columns_are_dropped_before_anything_is_stored(hillerod, xlsx_file):
    headers = [*TRAINEE_HEADERS, "CPR-nr.", "Note"]
    rows = [
        [*trainee_row("E1"), "010190-1234", "ok"],
        [*trainee_row("E2"), "020290-4321", "150385-1111"],
    ]
    batch = preview(hillerod, xlsx_file(rows, headers=headers))
    assert batch.dropped_columns == ["CPR-nr.", "Note"]
    assert batch.ignored_columns == []
    stored = str(list(ImportRow.objects.filter(batch=batch).values()))
    assert "1234" not in stored and "150385" not in stored
    assert batch.created_count == 2


def test_unknown_dropout_reason_is_kept_as_other_with_note_and_reported(hillerod, xlsx_file):
    path = xlsx_file(
        [
            trainee_row(
                "E1",
                Status="Frafald",
                Slutdato=datetime.date(2023, 6, 1),
                Frafaldsårsag="Fik job i Norge",
                Frafaldsfase="OP2",
            )
        ]
    )
    batch = run(hillerod, path)
    row = batch.rows.get()
    assert row.warnings == [
        "Frafaldsårsag «Fik job i Norge» er ukendt og gemt som Andet med teksten som note"
    ]
    trainee = Trainee.objects.get(hr_id="E1")
    assert trainee.dropout_reason == DropoutReason.objects.get(code="other")
    assert trainee.dropout_note == "Fik job i Norge"
    assert trainee.dropout_phase.name == "Oplæringsperiode 2"


REJECTIONS = [
    ({"Uddannelse": "Astronaut"}, "Række 2, kolonne Uddannelse: ukendt uddannelse «Astronaut»"),
    ({"Afdeling": "Rumfart"}, "Række 2, kolonne Afdeling: ukendt afdeling «Rumfart»"),
    ({"Status": "Måske"}, "Række 2, kolonne Status: ukendt status «Måske»"),
    (
        {"Startdato": "31-02-2023"},
        "Række 2, kolonne Startdato: «31-02-2023» er ikke en gyldig dato",
    ),
    (
        {"Slutdato": datetime.date(2022, 1, 1)},
        "Række 2, kolonne Slutdato: Slutdatoen 01.01.2022 ligger før startdatoen 01.02.2023.",
    ),
    (
        {"Status": "Afbrudt", "Slutdato": datetime.date(2023, 5, 1)},
        "Række 2, kolonne Frafaldsårsag: Angiv en frafaldsårsag, når status er Afbrudt.",
    ),
    (
        {"Ansat i": "Månebasen"},
        "Række 2, kolonne Ansat i: ukendt afdeling eller arbejdsplads «Månebasen»",
    ),
    ({"Elev-ID": None}, "Række 2, kolonne Elev-ID: skal udfyldes"),
    (
        {"Forventet slutdato": datetime.date(2023, 1, 31)},
        "Række 2, kolonne Forventet slutdato: "
        "Den forventede slutdato 31.01.2023 ligger før startdatoen 01.02.2023.",
    ),
    ({"Frafaldsfase": "Fase 9"}, "Række 2, kolonne Frafaldsfase: ukendt fase «Fase 9»"),
]


@pytest.mark.parametrize(("overrides", "message"), REJECTIONS)
def test_a_bad_row_is_rejected_with_row_column_and_reason_and_others_apply(
    hillerod, xlsx_file, overrides, message
):
    path = xlsx_file([trainee_row("BAD", **overrides), trainee_row("GOOD")])
    batch = preview(hillerod, path)
    assert errors(batch) == [message]
    assert (batch.created_count, batch.rejected_count) == (1, 1)
    import_batch_commit(batch=batch, actor=None)
    assert list(Trainee.objects.values_list("hr_id", flat=True)) == ["GOOD"]


def test_the_trainee_rules_apply_to_the_row_as_stored_when_the_file_lacks_a_column(
    hillerod, xlsx_file
):
    """The import applies the model's rules (apps.trainees.rules) to the stored values it
    keeps, not only to the columns the file has."""
    first = trainee_row(
        "E1",
        Status="Afbrudt",
        Slutdato=datetime.date(2023, 5, 1),
        Frafaldsårsag="For høje faglige krav",
    )
    run(hillerod, xlsx_file([first], name="first.xlsx"))
    headers = [h for h in TRAINEE_HEADERS if h not in ("Slutdato", "Frafaldsårsag")]

    def row(**overrides):
        cells = dict(zip(TRAINEE_HEADERS, trainee_row("E1", **overrides), strict=True))
        return [cells[h] for h in headers]

    moved = row(Status="Afbrudt", Startdato=datetime.date(2023, 6, 1))
    batch = preview(hillerod, xlsx_file([moved], headers=headers, name="moved.xlsx"))
    assert errors(batch) == [
        "Række 2, kolonne Startdato: Slutdatoen 01.05.2023 ligger før startdatoen 01.06.2023."
    ]
    renamed = row(Status="Afbrudt", Fornavn="Anne")
    batch = run(hillerod, xlsx_file([renamed], headers=headers, name="renamed.xlsx"))
    assert batch.rejected_count == 0
    stored = trainee("E1")
    assert (stored.first_name, stored.dropout_reason.code) == ("Anne", "academic")


def test_unknown_workplace_in_placements_is_rejected(hillerod, xlsx_file):
    run(hillerod, SAMPLES / "hillerod_vejledere.xlsx")
    run(hillerod, SAMPLES / "hillerod_elever.xlsx")
    workbook = openpyxl.load_workbook(SAMPLES / "hillerod_praktik.xlsx")
    rows = [list(r) for r in workbook.active.iter_rows(values_only=True)]
    rows[1][3] = "Plejecenter Atlantis"
    batch = preview(hillerod, xlsx_file(rows[1:], headers=rows[0], sheet="Praktik"))
    assert errors(batch) == [
        "Række 2, kolonne Arbejdsplads: ukendt arbejdsplads «Plejecenter Atlantis»"
    ]
    assert batch.created_count == 57


def test_the_same_id_twice_rejects_every_occurrence(hillerod, xlsx_file):
    path = xlsx_file([trainee_row("E1"), trainee_row("E2"), trainee_row("E1", Fornavn="Bo")])
    batch = preview(hillerod, path)
    assert errors(batch) == [
        "Række 2, kolonne Elev-ID: «E1» står flere gange i filen (også række 4)",
        "Række 4, kolonne Elev-ID: «E1» står flere gange i filen (også række 2)",
    ]
    assert batch.created_count == 1


# --- what real files do ------------------------------------------------------------------


def test_headers_in_any_order_case_and_spaces_and_aliases(hillerod, xlsx_file):
    headers = [
        "  status ",
        "ELEVNR",
        "Navn",
        "faggruppe",
        "Center",
        "ansat fra",
        "Ekstra kolonne",
    ]
    rows = [["Aktiv", "E9", "Holm, Anna", "Social- og sundhedsassistent", "ældre  og sundhed",
             "1.2.2023", "x"]]  # fmt: skip
    batch = run(hillerod, xlsx_file(rows, headers=headers))
    assert batch.kind == "trainees" and batch.ignored_columns == ["Ekstra kolonne"]
    trainee = Trainee.objects.get(hr_id="E9")
    assert (trainee.first_name, trainee.last_name) == ("Anna", "Holm")
    assert trainee.programme.code == "SSA" and trainee.start_date == datetime.date(2023, 2, 1)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime.datetime(2023, 1, 31, 0, 0), datetime.date(2023, 1, 31)),
        ("31-01-2023", datetime.date(2023, 1, 31)),
        ("31.01.2023", datetime.date(2023, 1, 31)),
        ("31/1/2023", datetime.date(2023, 1, 31)),
        ("2023-01-31", datetime.date(2023, 1, 31)),
    ],
)
def test_excel_and_danish_text_dates(hillerod, xlsx_file, cell, expected):
    run(hillerod, xlsx_file([trainee_row("E1", Startdato=cell)]))
    assert Trainee.objects.get(hr_id="E1").start_date == expected


def test_blank_rows_totals_row_spaces_number_ids_and_formula_text(hillerod, xlsx_file):
    rows = [
        trainee_row(1042.0, Fornavn="  =SUM(A1:A3) ", Efternavn="+45 Holm"),
        [None] * len(TRAINEE_HEADERS),
        trainee_row(" E2 ", Efternavn="@home", Fornavn="-Bo"),
        [None] * len(TRAINEE_HEADERS),
        ["I alt", None, None, None, None, None, None, None, None, None, None, 2],
        [None] * len(TRAINEE_HEADERS),
    ]
    batch = run(hillerod, xlsx_file(rows))
    assert (batch.created_count, batch.rejected_count, batch.total_rows) == (2, 0, 2)
    first = Trainee.objects.get(hr_id="1042")
    assert (first.first_name, first.last_name) == ("=SUM(A1:A3)", "+45 Holm")
    second = Trainee.objects.get(hr_id="E2")
    assert (second.first_name, second.last_name) == ("-Bo", "@home")
    assert batch.rows.get(key="E2").row_number == 4  # Excel's row numbers, blank rows counted


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [("cp1252", ";", False), ("utf-8", ";", True), ("utf-8", ";", False), ("utf-8", ",", False)],
)
def test_csv_encodings_and_delimiters(hillerod, csv_file, encoding, delimiter, bom):
    rows = [trainee_row("E1", Startdato="01-02-2023", Efternavn="Ørsted-Bæk", Fødselsår="1999")]
    path = csv_file(rows, encoding=encoding, delimiter=delimiter, bom=bom)
    batch = run(hillerod, path)
    assert batch.created_count == 1, errors(batch)
    assert Trainee.objects.get(hr_id="E1").last_name == "Ørsted-Bæk"


def test_absence_csv_with_decimal_comma_and_percent_column(hillerod, csv_file):
    TraineeFactory(hr_id="A1", department=hillerod.departments.first(), municipality=hillerod)
    path = csv_file(
        [["A1", "jan 2023", "8,64", "20"], ["A1", "02-2023", "1,5", "19,5"]],
        headers=["Elev-ID", "Måned", "Sygedage", "Planlagte dage"],
    )
    run(hillerod, path)
    jan = Absence.objects.get(month=datetime.date(2023, 1, 1))
    assert (jan.sick_days, jan.planned_days, jan.year) == (Decimal("8.64"), Decimal("20"), 2023)
    pct = csv_file(
        [["A1", "2023-03", "12,5"]], headers=["Elev-ID", "Måned", "Fravær %"], name="pct.csv"
    )
    run(hillerod, pct)
    march = Absence.objects.get(month=datetime.date(2023, 3, 1))
    assert march.sick_days / march.planned_days == Decimal("0.125")


# --- refusals change nothing -------------------------------------------------------------


def test_missing_required_column_is_refused_and_changes_nothing(hillerod, xlsx_file):
    headers = [h for h in TRAINEE_HEADERS if h != "Startdato"]
    row = trainee_row("E1")
    del row[TRAINEE_HEADERS.index("Startdato")]
    batch = preview(hillerod, xlsx_file([row], headers=headers), kind="trainees")
    assert batch.status == BatchStatus.REFUSED
    assert batch.message == "Filen mangler påkrævede kolonner: Startdato."
    assert not batch.rows.exists() and not Trainee.objects.exists()


def test_wrong_kind_is_refused(hillerod):
    batch = preview(hillerod, SAMPLES / "hillerod_vejledere.xlsx", kind="trainees")
    assert batch.message == "Filen ligner en fil med vejledere, ikke elever."
    assert not Supervisor.objects.exists()


def test_unrecognisable_file_names_the_kinds_the_headers_and_what_an_elevfil_needs(
    hillerod, xlsx_file
):
    batch = preview(hillerod, xlsx_file([["a", "b"]], headers=["Foo", " Bar "]))
    assert batch.status == BatchStatus.REFUSED
    assert batch.message.startswith(
        "Filen passer ikke til nogen af de fem slags import "
        "(Elever, Praktikperioder, Fravær, Vejledere, Kapacitet). Fundne overskrifter: Foo, Bar. "
        "En fil med elever skal have: Elev-ID"
    )
    assert "Medarbejder-ID" not in batch.message


def test_a_refused_file_leaves_the_garbage_collector_enabled(hillerod, csv_file):
    import gc

    batch = preview(hillerod, csv_file([["1", "2"]], headers=["Foo", "Bar"]))
    assert batch.status == BatchStatus.REFUSED
    assert gc.isenabled()


def test_a_file_near_a_kind_names_that_kinds_missing_columns(hillerod, xlsx_file):
    headers = ["Elev-ID", "Fornavn", "Efternavn", "Startdato", "Noget andet"]
    batch = preview(hillerod, xlsx_file([["E1", "A", "B", "01-02-2023", "x"]], headers=headers))
    assert batch.status == BatchStatus.REFUSED
    assert "Fundne overskrifter: Elev-ID, Fornavn, Efternavn, Startdato, Noget andet." in (
        batch.message
    )
    assert "Den ligner mest en fil med elever, men mangler: Uddannelse, Afdeling, Status." in (
        batch.message
    )


def test_new_rows_carry_the_mapped_values_as_they_will_be_stored(hillerod, xlsx_file):
    batch = preview(hillerod, xlsx_file([trainee_row("E1", Uddannelse="SOSU-hjælper")]))
    row = batch.rows.get()
    assert row.action == RowAction.NEW
    assert row.changes["programme_id"] == [None, "Social- og sundhedshjælper"]
    assert row.changes["department_id"] == [None, "Ældre og Sundhed"]
    assert row.changes["start_date"] == [None, "01.02.2023"]
    assert row.changes["status"] == [None, "Aktiv"]
    # Blank values are left out; the id and name are kept, for the audit entry.
    assert "end_date" not in row.changes
    assert row.changes["hr_id"] == [None, "E1"]


def test_a_failing_apply_leaves_the_database_unchanged(hillerod, xlsx_file, monkeypatch):
    run(hillerod, xlsx_file([trainee_row("E1")]))
    path = xlsx_file([trainee_row("E1", Fornavn="Ny"), trainee_row("E2")], name="2.xlsx")
    batch = preview(hillerod, path)
    audit_before = AuditEntry.objects.count()
    # The database refuses the second write (a constraint the preview could not know).
    from django.db import IntegrityError

    real_update = Trainee.objects.bulk_update

    def failing_update(*args, **kwargs):
        real_update(*args, **kwargs)
        raise IntegrityError("simulated failure")

    monkeypatch.setattr(Trainee.objects, "bulk_update", failing_update)
    with pytest.raises(ImportRefused) as refused:
        import_batch_commit(batch=batch, actor=None)
    assert refused.value.message.startswith("Importen kunne ikke gennemføres, og intet er ændret")
    assert list(Trainee.objects.values_list("hr_id", "first_name")) == [("E1", "Anna")]
    assert AuditEntry.objects.count() == audit_before
    batch.refresh_from_db()
    assert batch.status == BatchStatus.READY


def test_commit_refuses_when_data_changed_after_preview(hillerod, xlsx_file):
    run(hillerod, xlsx_file([trainee_row("E1")]))
    batch = preview(hillerod, xlsx_file([trainee_row("E1", Fornavn="Ny")], name="2.xlsx"))
    trainee = Trainee.objects.get(hr_id="E1")
    trainee.version += 1
    trainee.save()
    with pytest.raises(ImportRefused, match="Data er ændret, siden filen blev kontrolleret"):
        import_batch_commit(batch=batch, actor=None)
    assert Trainee.objects.get(hr_id="E1").first_name == "Anna"


def test_a_second_import_of_the_same_municipality_is_told_to_wait(hillerod, xlsx_file):
    import psycopg

    batch = preview(hillerod, xlsx_file([trainee_row("E1")]))
    params = connection.get_connection_params()
    other = psycopg.connect(
        dbname=params["dbname"] if "dbname" in params else params["database"],
        user=params.get("user"),
        host=params.get("host"),
        port=params.get("port"),
        autocommit=True,
    )
    try:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, hillerod.pk])
        with pytest.raises(ImportRefused) as refused:
            import_batch_commit(batch=batch, actor=None)
        assert refused.value.message == (
            "En anden import for kommunen er i gang. Vent, til den er færdig, og prøv igen."
        )
        assert not Trainee.objects.exists()
        other.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, hillerod.pk])
    finally:
        other.close()
    import_batch_commit(batch=batch, actor=None)  # free again once the other one is done
    assert Trainee.objects.count() == 1


# --- undo --------------------------------------------------------------------------------


def test_undo_restores_old_values_and_removes_created_rows(hillerod, xlsx_file, hr):
    first = run(hillerod, xlsx_file([trainee_row("E1")]), actor=hr)
    second = run(
        hillerod, xlsx_file([trainee_row("E1", Fornavn="Ny"), trainee_row("E2")], name="2.xlsx")
    )
    assert "seneste" in str(pytest.raises(ImportRefused, import_batch_undo, batch=first, actor=hr))
    sent = []
    import_applied.connect(receiver := lambda **kw: sent.append(kw), weak=False)
    try:
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            import_batch_undo(batch=second, actor=hr)
    finally:
        import_applied.disconnect(receiver)
    assert list(Trainee.objects.values_list("hr_id", "first_name")) == [("E1", "Anna")]
    second.refresh_from_db()
    assert second.status == BatchStatus.UNDONE
    assert sent and sent[0]["municipality_id"] == hillerod.pk and sent[0]["batch"].pk == second.pk
    assert AuditEntry.objects.filter(action="imports.batch.undone").count() == 1
    assert AuditEntry.objects.filter(action="trainees.trainee.import_undone").count() == 1


def test_undo_is_refused_when_a_row_changed_since(hillerod, xlsx_file):
    batch = run(hillerod, xlsx_file([trainee_row("E1"), trainee_row("E2")]))
    trainee = Trainee.objects.get(hr_id="E2")
    trainee.first_name = "Rettet i hånden"
    trainee.version += 1
    trainee.save()
    with pytest.raises(ImportRefused) as refused:
        import_batch_undo(batch=batch, actor=None)
    assert refused.value.message == (
        "Importen kan ikke fortrydes, fordi 1 af dens rækker er ændret siden. Intet er ændret."
    )
    assert Trainee.objects.count() == 2


def test_undo_of_placements_compares_written_values(hillerod):
    run(hillerod, SAMPLES / "hillerod_vejledere.xlsx")
    run(hillerod, SAMPLES / "hillerod_elever.xlsx")
    batch = run(hillerod, SAMPLES / "hillerod_praktik.xlsx")
    placement = Placement.objects.first()
    placement.end_date += datetime.timedelta(days=1)
    placement.save()
    with pytest.raises(ImportRefused, match="1 af dens rækker er ændret siden"):
        import_batch_undo(batch=batch, actor=None)
    placement.end_date -= datetime.timedelta(days=1)
    placement.save()
    import_batch_undo(batch=batch, actor=None)
    assert not Placement.objects.exists()


# --- cost does not grow with the file ----------------------------------------------------


def _queries_for(hillerod, path):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as preview_queries:
        batch = preview(hillerod, path)
    with CaptureQueriesContext(connection) as commit_queries:
        import_batch_commit(batch=batch, actor=None)
    return len(preview_queries), len(commit_queries)


def test_query_count_does_not_grow_with_rows(hillerod, xlsx_file):
    small = xlsx_file([trainee_row(f"S{i}") for i in range(3)], name="small.xlsx")
    large = xlsx_file([trainee_row(f"L{i}") for i in range(300)], name="large.xlsx")
    assert _queries_for(hillerod, small) == _queries_for(hillerod, large)
    changed_small = xlsx_file([trainee_row(f"S{i}", Fornavn="X") for i in range(3)], name="cs.xlsx")
    changed_large = xlsx_file(
        [trainee_row(f"L{i}", Fornavn="X") for i in range(300)], name="cl.xlsx"
    )
    assert _queries_for(hillerod, changed_small) == _queries_for(hillerod, changed_large)


def test_supervisor_changes_are_audited_per_person(hillerod, xlsx_file, hr):
    headers = ["Medarbejder-ID", "Navn", "Arbejdsplads", "Kvalifikation", "Aktiv"]
    run(hillerod, xlsx_file([["V1", "Eva Berg", "Nordskolen", "Ingen", "Ja"]], headers=headers))
    path = xlsx_file(
        [["V1", "Eva Berg", "Nordskolen", "Vejlederuddannelse (AMU)", "Nej"]],
        headers=headers,
        name="v2.xlsx",
    )
    batch = run(hillerod, path, actor=hr)
    supervisor = Supervisor.objects.get(hr_id="V1")
    assert supervisor.qualification.code == "amu" and supervisor.is_active is False
    assert supervisor.version == 2
    entry = AuditEntry.objects.get(
        action="supervisors.supervisor.imported", object_id=str(supervisor.pk), actor=hr
    )
    assert entry.changes == {
        "qualification_id": ["Ingen", "Vejlederuddannelse"],
        "is_active": ["Ja", "Nej"],
    }
    assert entry.context == {"batch": batch.pk, "row": 2, "created": False}
