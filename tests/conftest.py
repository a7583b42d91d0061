"""Personas shared by the whole suite (STYLE.md B9).

- `municipality`: Hillerød-like tenant with two departments, `elderly` and `school`.
- `coordinator`: uddannelseskonsulent of `municipality`; edits the strategy, sees all.
- `leader`: leder of `elderly` only; must never see `school`'s people.
- `other_leader`: leder of `school`.
- `hr`: HR of `municipality`; imports and sees all trainees.
- `kkr`: KKR analyst; aggregates only, never a person.
- `admin_user`: systemadministrator of `municipality`.
- `outsider`: coordinator of `other_municipality`, who must see nothing of `municipality`.
"""

import pytest

from apps.core.roles import Role
from tests.factories import PASSWORD, DepartmentFactory, MunicipalityFactory, UserFactory


def verify_two_factor(client, user):
    """Give a logged-in test session a verified TOTP device when the user must have one
    (administrators), as if they had entered a code; other personas are left alone."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from apps.accounts import two_factor

    if not two_factor.is_required(user):
        return
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[two_factor.STATE_KEY] = two_factor.STATE_NONE
    session.save()


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(code=219, name="Hillerød")


@pytest.fixture
def other_municipality(db):
    return MunicipalityFactory(code=165, name="Albertslund")


@pytest.fixture
def elderly(municipality):
    return DepartmentFactory(municipality=municipality, name="Ældre og Sundhed", short_name="ÆS")


@pytest.fixture
def school(municipality):
    return DepartmentFactory(municipality=municipality, name="Skole")


@pytest.fixture
def other_department(other_municipality):
    return DepartmentFactory(municipality=other_municipality, name="Dagtilbud")


@pytest.fixture
def coordinator(municipality):
    return UserFactory(username="karin", role=Role.COORDINATOR, municipality=municipality)


@pytest.fixture
def leader(municipality, elderly):
    return UserFactory(
        username="lars", role=Role.LEADER, municipality=municipality, departments=[elderly]
    )


@pytest.fixture
def other_leader(municipality, school):
    return UserFactory(
        username="lene", role=Role.LEADER, municipality=municipality, departments=[school]
    )


@pytest.fixture
def hr(municipality):
    return UserFactory(username="hanne", role=Role.HR, municipality=municipality)


@pytest.fixture
def kkr(municipality):
    return UserFactory(username="kim", role=Role.KKR_ANALYST, municipality=municipality)


@pytest.fixture
def admin_user(municipality):
    return UserFactory(
        username="anders",
        role=Role.ADMIN,
        municipality=municipality,
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def outsider(other_municipality):
    return UserFactory(username="otto", role=Role.COORDINATOR, municipality=other_municipality)


@pytest.fixture
def login(client):
    """`login(user)` logs the test client in as that persona and returns the client
    (administrators with their two-factor step passed; `verified=False` leaves it owed)."""

    def _login(user, *, verified=True):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        if verified:
            verify_two_factor(client, user)
        return client

    return _login


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def demo(tmp_path_factory):
    """The whole demo, as `manage.py load_demo` leaves the database: built once per test run
    and copied into each test that asks for it (tests/demo_snapshot.py). Ask for it before
    any fixture that writes rows, as the copy replaces every table's contents."""
    from tests.demo_snapshot import load_demo_copy

    load_demo_copy(tmp_path_factory)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser journeys last. They need transactions the live server can see, so
    each one empties every table when it ends, the data migrations' catalogues included;
    every other test expects a freshly migrated database. Under pytest-xdist (bin/test) each
    worker has its own database and gets its tests in this order (`--dist load` hands out
    the collection's items in order), so there too the browser journeys come last."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def catalogues_after_flush(request):
    """A test with real transactions starts from the data migrations' catalogues: the
    transactional test before it (on this worker) emptied every table when it ended, so
    without this a test's outcome would depend on which test ran before it."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        from tests.catalogues import replay_data_migrations

        request.getfixturevalue("transactional_db")
        replay_data_migrations()
