"""`manage.py import_spreadsheet`: same service, JSON summary, exit status 0 / 1 / 2."""

import json

import pytest
from django.core.management import call_command

from apps.imports.models import ImportBatch, ImportRow
from apps.trainees.models import Trainee
from tests.imports.conftest import SAMPLES, TRAINEE_HEADERS, trainee_row

pytestmark = pytest.mark.django_db


def run_command(capsys, *args):
    with pytest.raises(SystemExit) as exited:
        call_command("import_spreadsheet", *map(str, args), "--json")
        raise SystemExit(0)
    return exited.value.code, json.loads(capsys.readouterr().out)


def test_samples_import_from_the_command_line_with_kind_detected(hillerod, capsys):
    for name, kind, created in (
        ("hillerod_vejledere.xlsx", "supervisors", 20),
        ("hillerod_elever.csv", "trainees", 60),
        ("hillerod_praktik.xlsx", "placements", 58),
        ("hillerod_fravaer.csv", "absence", 90),
    ):
        code, summary = run_command(capsys, SAMPLES / name, "--municipality", "219")
        assert code == 0
        assert summary["kind"] == kind and summary["created"] == created
        assert summary["applied"] is True and summary["rejected"] == []
    code, summary = run_command(capsys, SAMPLES / "hillerod_elever.xlsx", "--municipality", 219)
    assert (code, summary["created"], summary["updated"], summary["unchanged"]) == (0, 0, 0, 60)
    assert set(summary) >= {
        "kind", "created", "updated", "unchanged", "rejected", "ignored_columns", "applied"
    }  # fmt: skip


def test_rejected_rows_exit_2_and_accepted_rows_apply(hillerod, xlsx_file, capsys):
    path = xlsx_file([trainee_row("E1"), trainee_row("E2", Uddannelse="Astronaut")])
    code, summary = run_command(capsys, path, "--municipality", 219, "--kind", "trainees")
    assert code == 2
    assert summary["rejected"] == [
        {"row": 3, "column": "Uddannelse", "message": "ukendt uddannelse «Astronaut»"}
    ]
    assert summary["applied"] is True
    assert list(Trainee.objects.values_list("hr_id", flat=True)) == ["E1"]


def test_dry_run_changes_nothing(hillerod, xlsx_file, capsys):
    code, summary = run_command(
        capsys, xlsx_file([trainee_row("E1")]), "--municipality", 219, "--dry-run"
    )
    assert code == 0 and summary["created"] == 1 and summary["applied"] is False
    assert not Trainee.objects.exists()


@pytest.mark.parametrize("rows", [[trainee_row("E1")], [trainee_row("E1", Uddannelse="Astronaut")]])
def test_a_dry_run_leaves_no_batch_in_the_import_history(hillerod, xlsx_file, capsys, rows):
    code, summary = run_command(capsys, xlsx_file(rows), "--municipality", 219, "--dry-run")
    assert code in (0, 2) and summary["applied"] is False and summary["batch"]
    assert not ImportBatch.objects.exists() and not ImportRow.objects.exists()


def test_a_refused_dry_run_leaves_no_batch_either(hillerod, tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"not a zip at all")
    code, summary = run_command(capsys, path, "--municipality", 219, "--dry-run")
    assert code == 1 and summary["error"]
    assert not ImportBatch.objects.exists()


def test_refused_file_exits_1(hillerod, tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"not a zip at all")
    code, summary = run_command(capsys, path, "--municipality", 219)
    assert code == 1
    assert summary["error"] == "Filen hedder .xlsx, men er ikke et Excel-regneark."
    assert summary["applied"] is False and not Trainee.objects.exists()
    assert ImportBatch.objects.get().status == "refused"


def test_ignored_and_dropped_columns_are_listed(hillerod, xlsx_file, capsys):
    headers = [*TRAINEE_HEADERS, "Personnummer", "Kommentar"]
    path = xlsx_file([[*trainee_row("E1"), "0101901234", "hej"]], headers=headers)
    code, summary = run_command(capsys, path, "--municipality", 219)
    assert code == 0
    assert summary["ignored_columns"] == ["Kommentar"]
    assert summary["dropped_columns"] == ["Personnummer"]
