"""Load the demo organisation (fixtures/demo/organisation.json) and demo users (users.json)."""

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from apps.organisation.models import Department, Municipality, Workplace

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "demo"


@transaction.atomic
def load_organisation(path: Path = FIXTURES / "organisation.json") -> int:
    """Create or update the five seed municipalities, departments and workplaces; idempotent."""
    data = json.loads(path.read_text(encoding="utf-8"))
    count = 0
    for m in data["municipalities"]:
        municipality, _ = Municipality.objects.update_or_create(
            code=m["code"], defaults={"name": m["name"]}
        )
        for order, d in enumerate(m["departments"]):
            department, _ = Department.objects.update_or_create(
                municipality=municipality,
                name=d["name"],
                defaults={
                    "short_name": d.get("short_name", ""),
                    "aliases": d.get("aliases", []),
                    "order": order,
                },
            )
            for name, kind in d.get("workplaces", []):
                Workplace.objects.update_or_create(
                    department=department, name=name, defaults={"kind": kind}
                )
        count += 1
    return count


@transaction.atomic
def load_users(path: Path = FIXTURES / "users.json") -> list[dict]:
    """Create or reset the demo users; returns username/role/municipality for printing."""
    data = json.loads(path.read_text(encoding="utf-8"))
    User = get_user_model()
    created = []
    for u in data["users"]:
        municipality = Municipality.objects.get(code=u["municipality"])
        user, _ = User.objects.update_or_create(
            username=u["username"],
            defaults={
                "first_name": u["first_name"],
                "last_name": u["last_name"],
                "role": u["role"],
                "municipality": municipality,
                "is_staff": u.get("is_staff", False),
                "is_superuser": u.get("is_superuser", False),
                "email": f"{u['username']}@example.invalid",
            },
        )
        user.set_password(data["password"])
        user.save()
        user.departments.set(
            Department.objects.filter(municipality=municipality, name__in=u.get("departments", []))
        )
        created.append(
            {
                "username": user.username,
                "role": user.get_role_display(),
                "municipality": municipality.name,
            }
        )
    return created


def demo_password() -> str:
    return json.loads((FIXTURES / "users.json").read_text(encoding="utf-8"))["password"]
