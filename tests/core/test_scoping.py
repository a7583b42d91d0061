"""The fail-closed tenancy guard and the Scope object."""

import pytest

from apps.accounts.scope import scope_for_user
from apps.core.scoping import ScopeError, all_municipalities, tenancy_for
from apps.trainees.models import Trainee
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def test_a_query_with_no_municipality_in_request_code_raises(municipality, elderly):
    TraineeFactory(department=elderly)
    with tenancy_for(None), pytest.raises(ScopeError):
        list(Trainee.objects.all())


def test_a_users_tenancy_returns_only_that_municipalitys_rows(
    coordinator, elderly, other_department
):
    mine = TraineeFactory(department=elderly)
    TraineeFactory(department=other_department)
    with tenancy_for(scope_for_user(coordinator)):
        assert list(Trainee.objects.all()) == [mine]
        assert Trainee.objects.filter(pk__gt=0).count() == 1


def test_cross_municipality_aggregates_must_lift_the_guard_explicitly(
    coordinator, elderly, other_department
):
    TraineeFactory(department=elderly)
    TraineeFactory(department=other_department)
    with tenancy_for(scope_for_user(coordinator)):
        assert Trainee.objects.count() == 1
        with all_municipalities():
            assert Trainee.objects.count() == 2


def test_in_scope_limits_a_leader_to_their_departments(leader, elderly, school):
    mine = TraineeFactory(department=elderly)
    TraineeFactory(department=school)
    assert list(Trainee.objects.in_scope(scope_for_user(leader))) == [mine]


def test_kkr_analysts_see_no_person_level_rows(kkr, elderly):
    TraineeFactory(department=elderly)
    assert Trainee.objects.in_scope(scope_for_user(kkr)).count() == 0


def test_scope_rights_by_role(coordinator, leader, hr, kkr):
    assert scope_for_user(coordinator).can_edit_strategy
    assert not scope_for_user(leader).can_edit_strategy
    assert not scope_for_user(kkr).can_edit_strategy
    assert scope_for_user(hr).can_import and not scope_for_user(coordinator).can_import
    assert scope_for_user(hr).can_see_health and not scope_for_user(leader).can_see_health
    assert not scope_for_user(leader).sees_small_numbers


def test_a_user_without_role_has_no_scope(municipality):
    from tests.factories import UserFactory

    assert scope_for_user(UserFactory(role="", municipality=municipality)) is None
