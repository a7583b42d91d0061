"""The same link sent twice at once (a double tap): the second waits for the first to commit
and is refused, so one link gives one answer."""

import threading

import pytest
from django.db import connection, transaction

from apps.survey.models import SurveyAnswer
from apps.survey.services import LinkRefused, answer_submit, links_issue
from tests.catalogues import replay_data_migrations
from tests.factories import DepartmentFactory, WorkplaceFactory
from tests.survey.conftest import finished_placement

pytestmark = pytest.mark.django_db(transaction=True)
ANSWER = {"welcomed": "high", "had_supervisor": True, "guidance_satisfaction": 5}


@pytest.fixture(autouse=True)
def catalogues(transactional_db):
    replay_data_migrations()


def test_two_answers_at_once_through_one_link_store_one():
    placement = finished_placement(WorkplaceFactory(department=DepartmentFactory()))
    [(_p, token)] = links_issue(placements=[placement])
    first_saved, release = threading.Event(), threading.Event()

    def first():
        try:
            with transaction.atomic():
                answer_submit(raw_token=token, **ANSWER)
                first_saved.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert first_saved.wait(timeout=10)
    timer = threading.Timer(0.5, release.set)
    timer.start()
    with pytest.raises(LinkRefused) as refused:
        answer_submit(raw_token=token, **ANSWER)
    thread.join()
    timer.join()
    assert refused.value.state == "used"
    assert SurveyAnswer.objects.count() == 1
