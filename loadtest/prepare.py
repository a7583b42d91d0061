"""Prepare a load test against a database with the demo loaded (`manage.py load_demo`):
write the plan (goal and department ids, a KKR API token) as JSON and a 10,000-row trainee
spreadsheet for HR's upload. Run with the same environment as the portal:

    python loadtest/prepare.py --out /tmp/plan.json --xlsx /tmp/elever.xlsx [--rows 10000]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_portal.settings")

HEADERS = [
    "Elev-ID", "Fornavn", "Efternavn", "Uddannelse", "Afdeling", "Startdato",
    "Forventet slutdato", "Slutdato", "Status", "Fødselsår", "Rekruttering",
]  # fmt: skip
MUNICIPALITY = 219  # Hillerød, the demo users' municipality


def write_trainees(path: Path, rows: int, departments: list[str]) -> None:
    """A trainee sheet as HR's system gives it: `rows` new trainees (ids LT000000…)."""
    import openpyxl

    rng = random.Random(16)  # noqa: S311 - test data
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Elever")
    sheet.append(HEADERS)
    programmes = ["SSH", "SSA", "PAU"]
    for n in range(rows):
        start = datetime.datetime(2022 + n % 4, 1 + n % 12, 1)
        status = rng.choice(["Aktiv", "Aktiv", "Gennemført"])
        sheet.append(
            [
                f"LT{n:06d}",
                rng.choice(["Anna", "Bo", "Camilla", "Dorthe", "Emil", "Fatima"]),
                rng.choice(["Hansen", "Jensen", "Nielsen", "Pedersen", "Holm"]),
                programmes[n % len(programmes)],
                departments[n % len(departments)],
                start,
                start + datetime.timedelta(days=700),
                start + datetime.timedelta(days=700) if status == "Gennemført" else None,
                status,
                1970 + n % 35,
                rng.choice(["Ekstern", "Intern ufaglært"]),
            ]
        )
    workbook.save(path)


def plan() -> dict:
    import django

    django.setup()
    from apps.accounts.models import User
    from apps.api.models import ApiToken
    from apps.core.scoping import all_municipalities
    from apps.organisation.models import Department
    from apps.strategy.models import Goal

    with all_municipalities():
        goals = list(
            Goal.objects.filter(focus_area__strategy__municipality__code=MUNICIPALITY)
            .exclude(focus_area__strategy__status="archived")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        leader = User.objects.get(username="leder")
        departments = list(leader.departments.order_by("pk").values_list("pk", flat=True))
        names = list(
            Department.objects.filter(municipality__code=MUNICIPALITY).values_list(
                "name", flat=True
            )
        )
        kkr = User.objects.get(username="kkr")
        _token, raw = ApiToken.issue(user=kkr, name="Belastningstest")
    return {
        "goals": goals,
        "leader_departments": departments,
        "department_names": names,
        "api_token": raw,
        "password": json.loads((ROOT / "fixtures/demo/users.json").read_text())["password"],
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--xlsx", type=Path, required=True)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    data = plan()
    write_trainees(args.xlsx, args.rows, data.pop("department_names"))
    data["xlsx"] = str(args.xlsx)
    args.out.write_text(json.dumps(data))
    print(f"Plan: {len(data['goals'])} goals, xlsx {args.rows} rows -> {args.xlsx}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
