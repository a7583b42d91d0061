"""Every main page of every role, and the detail pages one click away from them, fits a
desktop (1440 px) and a phone (390 px) without the page itself scrolling sideways, and has
no serious or critical WCAG 2.1 A/AA violation at either width. Wide tables scroll inside
their own box; long words wrap."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.core.roles import Role
from apps.imports.models import BatchStatus, ImportBatch, ImportKind, ImportRow, RowAction
from apps.kpis.models import Indicator
from apps.strategy.models import Goal, Initiative
from apps.supervisors.models import Supervisor
from apps.trainees.models import Trainee
from tests.browser.helpers import axe_violations, format_violations
from tests.browser.test_admin_menu import _admin_page
from tests.browser.test_main_pages import fred  # noqa: F401 - the Frederikssund fixture
from tests.browser.test_strategy_pages_fit import overflowing, page_overflow
from tests.factories import GoalFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1440, 390)
BLOCKING = {"serious", "critical"}
# The detail pages one click from a role's menu (which ones the role may open).
DETAILS = {
    Role.COORDINATOR: ["trainee", "supervisor", "indicator", "goal", "initiative"],
    Role.LEADER: ["trainee", "supervisor", "goal", "initiative"],
    Role.HR: ["trainee", "supervisor", "batch", "goal", "initiative"],
    Role.KKR_ANALYST: [],
    Role.ADMIN: ["trainee", "supervisor", "batch", "indicator", "goal", "initiative", "admin"],
}


@pytest.fixture
def batch(fred):  # noqa: F811 - the fixture imported above
    """A checked trainee file with a new, a changed and a rejected row, as HR previews it."""
    batch = ImportBatch.objects.create(
        municipality=fred.municipality,
        kind=ImportKind.TRAINEES,
        status=BatchStatus.READY,
        file_name="elever_fra_loenssystemet_med_et_meget_langt_filnavn_2023-12-31.xlsx",
        progress=100,
        total_rows=3,
        created_count=1,
        updated_count=1,
        rejected_count=1,
        ignored_columns=["Kommentar_fra_sagsbehandleren_i_personaleafdelingen"],
    )
    # A common goal with a long compound word, as the dashboards and the grid show it.
    GoalFactory(
        focus_area=Goal.objects.get(department=fred.dogn).focus_area,
        department=None,
        text="Praktikvejlederuddannelsesforløbskoordineringen styrkes i alle fagområder",
    )
    ImportRow.objects.bulk_create(
        [
            ImportRow(
                batch=batch,
                row_number=2,
                action=RowAction.NEW,
                key="H2100",
                label="H2100 Rikke Petersen",
                changes={
                    "programme_id": [None, "Social- og sundhedsassistent"],
                    "department_id": [None, "Døgnplejen"],
                    "start_date": [None, "01.02.2023"],
                    "status": [None, "Aktiv"],
                },
            ),
            ImportRow(
                batch=batch,
                row_number=3,
                action=RowAction.CHANGED,
                key="H2101",
                label="H2101 Sofie Sørensen-Kristiansen",
                changes={"status": ["Aktiv", "Gennemført"], "end_date": ["", "01.08.2024"]},
            ),
            ImportRow(
                batch=batch,
                row_number=4,
                action=RowAction.REJECTED,
                key="H2102",
                errors=[{"column": "Uddannelse", "message": "ukendt uddannelse «Astronaut»"}],
            ),
        ]
    )
    return batch


def detail_urls(names: list[str], fred, batch) -> list[str]:  # noqa: F811
    targets = {
        "trainee": lambda: reverse(
            "trainees:trainee_detail",
            args=[Trainee.objects.filter(department=fred.dogn).order_by("pk").first().pk],
        ),
        "supervisor": lambda: reverse(
            "supervisors:supervisor_detail", args=[Supervisor.objects.get().pk]
        ),
        "batch": lambda: batch.get_absolute_url(),
        "indicator": lambda: reverse(
            "kpis:indicator_detail", args=[Indicator.objects.order_by("pk").first().pk]
        ),
        "goal": lambda: reverse(
            "strategy:goal_detail", args=[Goal.objects.filter(department=fred.dogn).get().pk]
        ),
        "initiative": lambda: reverse(
            "strategy:initiative_detail", args=[Initiative.objects.get().pk]
        ),
        "admin": lambda: "/admin/",
    }
    return [targets[name]() for name in names]


@pytest.mark.parametrize("role", list(DETAILS), ids=lambda role: role.value)
def test_every_main_page_fits_a_desktop_and_a_phone_and_is_accessible(
    page_for,
    fred,  # noqa: F811
    batch,
    role,
):
    user = UserFactory(
        username=f"bredde-{role.value}",
        first_name="Frida",
        last_name=role.label,
        role=role,
        municipality=fred.municipality,
        departments=[fred.dogn] if role == Role.LEADER else None,
        is_staff=role == Role.ADMIN,
    )
    page = _admin_page(page_for, user) if role == Role.ADMIN else page_for(user)
    menu = page.get_by_role("navigation", name="Hovedmenu")
    links = menu.get_by_role("list").first.get_by_role("link")
    expect(links.first).to_be_visible()
    urls = list(dict.fromkeys(links.evaluate_all("links => links.map(a => a.pathname)")))
    urls += detail_urls(DETAILS[role], fred, batch)

    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, f"{url} as {role.label}: {response.status}"
            expect(page.get_by_role("heading", level=1)).to_have_count(1)
            if page_overflow(page):
                problems.append(
                    f"{url} scrolls sideways at {width} px by {page_overflow(page)} px: "
                    + ", ".join(overflowing(page))
                )
            violations = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
            if violations:
                problems.append(f"at {width} px: " + format_violations(url, violations))
    assert not problems, "\n".join(problems)
