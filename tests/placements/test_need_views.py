"""The trainee's "Praktikbehov og ønsker" page: who may open it, forms with Danish errors
next to their fields, removals, and a pinned number of queries."""

import datetime

import pytest
from django.urls import reverse

from apps.placements.models import ManualNeed, PlacementWish
from apps.placements.need_services import manual_need_add, wish_add
from tests.factories import WorkplaceFactory
from tests.placements.conftest import placement, trainee

pytestmark = pytest.mark.django_db


def page(t):
    return reverse("placement_needs:trainee_needs", args=[t.pk])


@pytest.fixture
def ssh(elderly):
    t = trainee(elderly, "SSH", hr_id="E-SSH", start_date=datetime.date(2024, 1, 1))
    first = datetime.date(2024, 3, 1)
    placement(t, WorkplaceFactory(department=elderly), start=first, end=first.replace(month=5))
    return t


def test_hr_sees_the_sequence_with_done_and_next_steps(login, hr, ssh):
    response = login(hr).get(page(ssh))
    assert response.status_code == 200
    sequence = response.context["sequence"]
    assert [(r["step"].name, r["done"], r["next"]) for r in sequence] == [
        ("Oplæringsperiode 1", True, False),
        ("Oplæringsperiode 2", False, True),
    ]
    assert "Næste" in response.content.decode()


def test_a_leader_gets_403_and_another_municipality_404(login, leader, outsider, hr, ssh):
    assert login(leader).get(page(ssh)).status_code == 403
    assert login(outsider).get(page(ssh)).status_code == 404


def test_the_trainee_page_links_here_only_for_planners(client, login, hr, leader, ssh):
    detail = reverse("trainees:trainee_detail", args=[ssh.pk])
    assert page(ssh) in login(hr).get(detail).content.decode()
    client.logout()
    assert page(ssh) not in login(leader).get(detail).content.decode()


def test_a_need_without_a_note_is_refused_next_to_the_field(login, hr, ssh):
    response = login(hr).post(
        page(ssh),
        {
            "action": "need",
            "need-start_date": "2027-02-01",
            "need-end_date": "2027-01-01",
            "need-note": "",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="note-error"' in html
    assert "Skriv en note om, hvorfor eleven har behov." in html
    assert not ManualNeed.objects.exists()


def test_dates_out_of_order_are_refused_at_the_end_date(login, hr, ssh):
    response = login(hr).post(
        page(ssh),
        {
            "action": "need",
            "need-start_date": "2027-02-01",
            "need-end_date": "2027-01-01",
            "need-note": "Om",
        },
    )
    assert response.status_code == 400
    assert response.context["need_form"].errors["end_date"] == [
        "Til-datoen må ikke ligge før fra-datoen."
    ]


def test_a_need_and_a_wish_are_added_and_removed(login, hr, ssh, elderly):
    client = login(hr)
    wp = WorkplaceFactory(department=elderly, name="Plejecenter Solbakken")
    response = client.post(
        page(ssh),
        {
            "action": "need",
            "need-start_date": "2027-02-01",
            "need-end_date": "2027-06-30",
            "need-note": "Tager perioden om",
        },
    )
    assert response.status_code == 302
    response = client.post(page(ssh), {"action": "wish", "wish-workplace": wp.pk, "wish-rank": 1})
    assert response.status_code == 302
    need, wish = ManualNeed.objects.get(trainee=ssh), PlacementWish.objects.get(trainee=ssh)
    assert (need.note, need.created_by, wish.workplace, wish.rank) == (
        "Tager perioden om",
        hr,
        wp,
        1,
    )
    again = client.post(page(ssh), {"action": "wish", "wish-workplace": wp.pk, "wish-rank": 2})
    assert again.context["wish_form"].errors["workplace"] == [
        "Eleven har allerede ønsket denne arbejdsplads."
    ]
    client.post(reverse("placement_needs:need_remove", args=[ssh.pk, need.pk]))
    client.post(reverse("placement_needs:wish_remove", args=[ssh.pk, wish.pk]))
    assert not ManualNeed.objects.exists() and not PlacementWish.objects.exists()


def test_a_wish_for_another_municipalitys_workplace_is_not_a_choice(
    login, hr, ssh, other_department
):
    foreign = WorkplaceFactory(department=other_department)
    response = login(hr).post(
        page(ssh), {"action": "wish", "wish-workplace": foreign.pk, "wish-rank": 1}
    )
    assert response.context["wish_form"].errors["workplace"] == ["Vælg en arbejdsplads i kommunen."]


def test_removing_another_trainees_need_is_a_404(login, hr, ssh, elderly):
    other = trainee(elderly, "SSA")
    need = manual_need_add(
        trainee=other,
        actor=hr,
        start_date=datetime.date(2027, 2, 1),
        end_date=datetime.date(2027, 6, 30),
        note="Om",
    )
    url = reverse("placement_needs:need_remove", args=[ssh.pk, need.pk])
    assert login(hr).post(url).status_code == 404
    assert ManualNeed.objects.filter(pk=need.pk).exists()


def test_the_page_takes_the_same_queries_however_many_rows(
    login, hr, ssh, elderly, django_assert_num_queries
):
    client = login(hr)
    client.get(page(ssh))  # warm up session and caches

    def add_rows(n):
        for i in range(n):
            manual_need_add(
                trainee=ssh,
                actor=hr,
                start_date=datetime.date(2027, 1 + i, 1),
                end_date=datetime.date(2027, 1 + i, 20),
                note=f"Behov {i}",
            )
            wish_add(
                trainee=ssh, actor=hr, workplace=WorkplaceFactory(department=elderly), rank=i + 1
            )

    add_rows(1)
    with django_assert_num_queries(14) as one:
        client.get(page(ssh))
    ManualNeed.objects.all().delete()
    PlacementWish.objects.all().delete()
    add_rows(3)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(page(ssh))
