"""The five seed strategies (fixtures/demo/strategies/) against their source documents.

Every expected number below was counted in the document in shared/seeds/ named in the test's
docstring; the comment next to it says where.
"""

import datetime
import io
import json
import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.demo.organisation import load_organisation, load_users
from apps.demo.strategies import STRATEGIES_DIR, SeedError, load_strategies, load_strategy_file
from apps.strategy.models import FocusArea, Goal, Initiative, StatusUpdate, Strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds(db):
    """Load the demo organisation and all seed strategies once; return the command output."""
    load_organisation()
    out = io.StringIO()
    load_strategies(stdout=out)
    return out.getvalue()


@pytest.fixture
def seed(db):
    """`seed(code)` loads the demo organisation and that municipality's strategy file only,
    as the document has it (without the demo's follow-up plan), and returns the strategy."""

    def _seed(code: int) -> Strategy:
        load_organisation()
        (path,) = STRATEGIES_DIR.glob(f"{code}_*.json")
        strategy = load_strategy_file(path, follow_up=False)
        assert strategy is not None
        return Strategy.objects.get(pk=strategy.pk, municipality__code=code)

    return _seed


def goals_per_department(strategy: Strategy) -> dict[str | None, int]:
    """Count the strategy's goals per department name (None for fælles mål)."""
    goals = Goal.objects.filter(focus_area__strategy=strategy).select_related("department")
    return dict(Counter(g.department.name if g.department else None for g in goals))


def statuses(initiatives) -> dict[str, int]:
    """Count initiatives per status value."""
    return dict(Counter(initiatives.values_list("status", flat=True)))


def test_frederikssund_matches_document(seed):
    """003_18883ed726f0f388.txt: 'Uddannelse af fremtidens social- og sundhedsmedarbejdere'."""
    strategy = seed(250)
    assert strategy.status == "draft"  # "UDKAST" on the cover
    assert (strategy.period_start, strategy.period_end) == (2024, 2027)
    # "Strategiens tre fokusområder": #1 Før, #2 Under, #3 Efter uddannelse.
    areas = list(strategy.focus_areas.order_by("order"))
    assert [a.title.split(":")[0] for a in areas] == [
        "#1 Før uddannelse",
        "#2 Under uddannelse",
        "#3 Efter uddannelse",
    ]
    assert all(a.kkr_theme is None for a in areas)
    # "Vores succeskriterier er:" has two bullets in each phase, all for the whole municipality.
    assert [a.goals.count() for a in areas] == [2, 2, 2]
    assert goals_per_department(strategy) == {None: 6}
    texts = list(Goal.objects.filter(focus_area__strategy=strategy).values_list("text", flat=True))
    for needle in [
        "minimum 8 af vores egne ufaglærte medarbejdere om året",
        "med 7 procent inden 2026",
        "sygefravær med 1 procentpoint frem mod 2027",
        "med 3 procentpoint frem mod 2027",
        "minimum fem af vores egen SSH-medarbejdere som SSA-elever",
    ]:
        assert sum(needle in text for text in texts) == 1, needle
    # Phase #1: rekruttering 6 allerede iværksatte; ufaglærte 3 allerede + 1 fremtidig.
    # Phase #2: godt uddannelsessted 3 + 4, trivsel 4 + 1, trygt forløb 4 + 1, særlige behov 3 + 2.
    # Phase #3: nyuddannede 4 + 2, videreuddannelse af SSH'er 1 + 3.
    assert [statuses(a.initiatives.all()) for a in areas] == [
        {"implemented": 9, "planned": 1},
        {"implemented": 14, "planned": 8},
        {"implemented": 5, "planned": 5},
    ]
    # Bilag 1: Forberedt på fremtiden III, 13 + 11 initiatives; Det nationale rammepapir, 10.
    bilag = strategy.initiatives.filter(focus_area__isnull=True)
    assert bilag.filter(origin="Bilag 1: Forberedt på fremtiden III").count() == 24
    assert bilag.filter(origin="Bilag 1: Det nationale rammepapir").count() == 10
    assert statuses(bilag) == {
        "implemented": 23,  # "Implementeret <år>", "Er implementeret", "… i SOSUH-regi"
        "in_progress": 3,  # "På vej" (2) and "Følges og evalueres løbende"
        "awaiting": 2,  # "Afventer": spireordning, ansøgningspuljen
        "partially_implemented": 2,  # praksislab 2021, struktureret velkomst
        "not_implemented": 3,  # AMU-pakker and the digital uddannelsesoverblik (twice)
        "planned": 1,  # EduAdm-oplæring "igangsættes ultimo 2024"
    }
    # Years as the tables give them: e.g. "Kloge hænder" 2016, "Praksislab" delvist 2021.
    years = dict(bilag.exclude(implemented_year=None).values_list("title", "implemented_year"))
    assert years["Praksislab med simulationsudstyr"] == 2021
    assert (
        years[
            "Kloge hænder – folkeskolens 7. og 8. klasse er på besøg én dag på et plejecenter "
            "og gør sig erfaringer med faget"
        ]
        == 2016
    )
    assert bilag.exclude(implemented_year=None).count() == 22
    # Each Bilag 1 row keeps the document's own status words as its first status note.
    notes = StatusUpdate.objects.filter(initiative__in=bilag)
    assert notes.count() == 34
    assert notes.filter(note="Implementeret primo 2023").count() == 3
    assert strategy.initiatives.count() == 76
    # Initiatives serve the goals their wording names; every phase's initiatives serve a goal
    # of that phase, and the dropout goal has the retention initiatives (personlige
    # vejledere, snusepraktik, sprogundervisning), Bilag 1's rows included.
    dropout = Goal.objects.get(
        focus_area__strategy=strategy, text__startswith="at vi reducerer andelen som falder fra"
    )
    sick = Goal.objects.get(
        focus_area__strategy=strategy, text__startswith="at vi nedbringer elevernes sygefravær"
    )
    for initiative in strategy.initiatives.exclude(focus_area=None).prefetch_related("goals"):
        goals = list(initiative.goals.all())
        assert goals and {g.focus_area_id for g in goals} == {initiative.focus_area_id}
    assert dropout.initiatives.count() >= 20
    assert dropout.initiatives.filter(focus_area=None, title__contains="snusepraktik").count() == 2
    assert set(sick.initiatives.values_list("title", flat=True)) >= {
        "Ledere og uddannelsesteamet har fokus på en tidlig og systematisk håndtering af fravær."
    }
    assert not sick.initiatives.filter(focus_area=None).exists()


def test_hillerod_matches_document(seed):
    """000_6b4eb9cb72f458fd.txt: Uddannelsesstrategi, version februar 2022."""
    strategy = seed(219)
    assert (strategy.version_label, strategy.status) == ("Version februar 2022", "adopted")
    # Sections 4.1-4.6 (the 6 indsatsområder) and section 5, Tværgående initiativer.
    areas = list(strategy.focus_areas.order_by("order").select_related("kkr_theme"))
    assert [a.title for a in areas] == [
        "Uddannelse og opkvalificering af praktikvejledere",
        "Grundig og systematisk onboarding og fastholdelse af elever og studerende",
        "Ledelsesopmærksomhed på elever og studerende",
        "Kvalitet i uddannelser både på skolen og i praktikken",
        "Efter- og videreuddannelse i forhold udvikling i kerneopgaven",
        "Branding",
        "Tværgående initiativer",
    ]
    # 4.1-4.4 are KKR Hovedstaden's four themes, in KKR's order.
    assert [a.kkr_theme.code if a.kkr_theme else None for a in areas] == [
        "supervisors",
        "onboarding",
        "leadership",
        "quality",
        None,
        None,
        None,
    ]
    # "Hillerød Kommune har som fælles mål:" bullets: 4.1: 2, 4.2: 3, 4.3: 3, 4.4: 5,
    # 4.5: 2, 4.6: 3, 5: 4.
    assert [a.goals.filter(department=None).count() for a in areas] == [2, 3, 3, 5, 2, 3, 4]
    # "Målsætninger for fagområderne" bullets per section (all six fagområder in each):
    # 4.1: ÆS 5, BSS 5, Skole 4, Dagtilbud 4, FS 5, Ejendomme (Kontorelever 3 + Lærlinge 2) 5
    # 4.2: 4, 2, 3, 4, 4, 4 + 4;  4.3: 6, 2, 3, 4, 2, 1 + 3;  4.4: 3, 4, 4 + 1, 4, 1, 6 + 2
    # 4.5: 5, 2, 2, 6 + 1, 1, 1 + 1;  4.6: 4 + 2 + 1, 2, 3, 4, 2, 3 + 3;  5: 3, 2, 3, 3, 1, 2
    assert [a.goals.exclude(department=None).count() for a in areas] == [
        28,
        25,
        21,
        25,
        19,
        24,
        14,
    ]
    assert goals_per_department(strategy) == {
        None: 22,
        "Ældre og Sundhed": 33,
        "Borger- og Socialservice": 19,
        "Skole": 23,
        "Dagtilbud": 30,
        "Familier og Sundhed": 16,
        "Ejendomme, Personaleafdelingen m.fl.": 35,
    }
    # Every fagområde has goals in every focus area.
    for area in areas:
        assert area.goals.exclude(department=None).values("department").distinct().count() == 6
    # The KPI goal the supervisors' indicator links to, verbatim.
    assert (
        areas[0]
        .goals.filter(
            department=None,
            text__startswith="at alle praktikvejledere opnår uddannelse som vejleder",
        )
        .exists()
    )
    assert (
        not Goal.objects.filter(focus_area__strategy=strategy)
        .exclude(status="not_started")
        .exists()
    )
    # The document has fælles mål and målsætninger, no initiatives of its own.
    assert strategy.initiatives.count() == 0
    assert "mindst muligt bureaukratisk" in strategy.purpose


def test_albertslund_matches_document(seed):
    """001_64cc296acc794df8.txt: Rekrutterings- og uddannelsesstrategi (OCR without æ/ø/å)."""
    strategy = seed(165)
    # "De tre store velfærdsområder — skole, dagtilbud og ældreområdet", in the document's
    # order, then its section "Ambitioner og målsætninger".
    areas = list(strategy.focus_areas.order_by("order"))
    assert [a.title for a in areas] == [
        "Ældreområdet",
        "Dagtilbudsområdet",
        "Skoleområdet",
        "Ambitioner og målsætninger",
    ]
    # The ambition and its four "Det vil vi gøre ved at" points, for the whole municipality;
    # each velfærdsområde's own "skal"/"vil" sentences as its department's goals, verbatim:
    # ældreområdet 6 (praktikvejledere, ledelsen, rekrutteringsindsatsen, frafaldstruede
    # elever, klinikforløb, vende tilbage), dagtilbud 4, skole 5.
    assert [a.goals.count() for a in areas] == [6, 4, 5, 5]
    assert goals_per_department(strategy) == {
        None: 5,
        "Ældre og Sundhed": 6,
        "Dagtilbud": 4,
        "Skole": 5,
    }
    for area in areas[:3]:
        assert area.goals.filter(department__isnull=False).count() == area.goals.count()
        for goal in area.goals.all():
            # A whole sentence of the area's own text, not a paraphrase.
            assert goal.text in area.description, goal.text
            assert goal.text[0].isupper() and goal.text.endswith("."), goal.text
    assert areas[0].goals.filter(text__startswith="Et øget fokus på frafaldstruede elever").exists()
    assert (
        areas[1]
        .goals.filter(text__startswith="En professionalisering af vejlederrollen skal sikre")
        .exists()
    )
    # "Potentialer": four ideas not yet put into effect, status idé, under the velfærdsområde
    # they concern (the one spanning dagtilbud and skole belongs to the whole strategy).
    potentialer = strategy.initiatives.order_by("order").select_related("department")
    assert [
        (i.title, i.department.name if i.department else None, i.focus_area_id) for i in potentialer
    ] == [
        ("Udvidelse af samarbejdet med Jobcenteret", "Ældre og Sundhed", areas[0].pk),
        ("Professionalisering af vejlederrollen på dagtilbudsområdet", "Dagtilbud", areas[1].pk),
        ("Meritpædagog efter sporskiftemodellen", "Dagtilbud", areas[1].pk),
        (
            "Styrkelse af samarbejdet mellem dagtilbuds-, skole- og fritidsspecialiseringerne",
            None,
            None,
        ),
    ]
    # Each serves the goals of the areas it is about.
    links = {i.title: sorted(g.department.name for g in i.goals.all()) for i in potentialer}
    assert links == {
        "Udvidelse af samarbejdet med Jobcenteret": ["Ældre og Sundhed"],
        "Professionalisering af vejlederrollen på dagtilbudsområdet": ["Dagtilbud"],
        "Meritpædagog efter sporskiftemodellen": ["Dagtilbud"],
        "Styrkelse af samarbejdet mellem dagtilbuds-, skole- og fritidsspecialiseringerne": [
            "Dagtilbud",
            "Skole",
        ],
    }
    assert statuses(potentialer) == {"idea": 4}
    # The OCR's lost letters are restored: the sygepleje section reads as Danish again.
    assert "Sygeplejersker i det kommunale område varetager" in areas[0].description
    for text in [strategy.purpose, *(a.description for a in areas)]:
        assert not re.search(r"\b(pa|sa|nar|bade|omrade|ogsa)\b", text)


def test_norddjurs_matches_document(seed):
    """002_ea1788f76e2208a9.txt: §17, stk. 4-udvalgets anbefalinger (2023)."""
    strategy = seed(707)
    assert strategy.status == "draft"  # anbefalinger awaiting "politisk stillingtagen"
    # The five "Anbefalinger - …" sections of the Indhold, with their anbefalinger.
    areas = list(strategy.focus_areas.order_by("order"))
    assert [(a.title, list(a.initiatives.values_list("reference", flat=True))) for a in areas] == [
        ("Ledelse som fag", ["Anbefaling 1", "Anbefaling 2", "Anbefaling 3"]),
        ("Unge i velfærdsfagene", ["Anbefaling 4", "Anbefaling 5"]),
        ("Fra ledighed til uddannelse til fastansættelse", ["Anbefaling 6"]),
        ("Fastholdelse af medarbejdere", ["Anbefaling 7"]),
        ("Kommunikation og branding på Velfærdsområdet", ["Anbefaling 8"]),
    ]
    # Each anbefaling's "Mål" is its aim and, verbatim, a fælles mål of its theme that the
    # anbefaling serves.
    initiatives = strategy.initiatives.order_by("order")
    assert initiatives.count() == 8
    goals = Goal.objects.filter(focus_area__strategy=strategy)
    assert goals.count() == 8 and not goals.exclude(department=None).exists()
    for initiative in initiatives:
        (goal,) = initiative.goals.all()
        assert goal.text == initiative.aim and goal.focus_area_id == initiative.focus_area_id
    assert statuses(initiatives) == {"proposal": 8}
    # "Ressourcer og økonomi": 1: 200.000 kr.; 2: only consultant time; 3: 1. mio. kr.;
    # 4: 100.000 + 300.000 kr.; 5: 100.000 + 800.000 kr.; 6: decided after the analysis;
    # 7: 3,6 mio. kr.; 8: "Dette vil afhænge af arbejdsgruppens anbefalinger".
    assert {i.reference: i.budget_dkk for i in initiatives} == {
        "Anbefaling 1": 200_000,
        "Anbefaling 2": None,
        "Anbefaling 3": 1_000_000,
        "Anbefaling 4": 400_000,
        "Anbefaling 5": 900_000,
        "Anbefaling 6": None,
        "Anbefaling 7": 3_600_000,
        "Anbefaling 8": None,
    }
    # Every anbefaling has Formål, Mål, Indsatser, Opfølgning, ressourcer and Næste step;
    # all but Anbefaling 3 give a Baseline.
    for initiative in initiatives:
        for field in ("purpose", "aim", "actions", "follow_up", "budget_note", "next_step"):
            assert getattr(initiative, field), (initiative.reference, field)
    assert [i.reference for i in initiatives if not i.baseline] == ["Anbefaling 3"]
    # Opfølgning as the document dates it.
    assert [i.follow_up.splitlines()[0] for i in initiatives] == [
        "2025",
        "Opfølgning fastlægges, når der er kendskab til analysens resultater og den "
        "efterfølgende politiske stillingtagen.",
        "Evaluering af forløbet i 2025.",
        "Efteråret 2024.",
        "2025.",
        "Primo 2024.",
        "2025.",
        "2024",
    ]


def test_helsingor_matches_document(seed):
    """004_3986a1486e35b64e.txt: Helsingør's uddannelsesstrategi after KKR's four themes."""
    strategy = seed(217)
    # Sections 2.1-2.4 follow KKR's four themes; 2.5 is "det femte element".
    areas = list(strategy.focus_areas.order_by("order").select_related("kkr_theme"))
    assert [(a.title, a.kkr_theme.code if a.kkr_theme else None) for a in areas] == [
        ("Uddannelse og opkvalificering af praktikvejledere", "supervisors"),
        ("Grundig og systematisk onboarding", "onboarding"),
        ("Ledelsesopmærksomhed", "leadership"),
        ("Kvalitet i uddannelser", "quality"),
        ("Specifikke forhold - faggrupper & centre", None),
    ]
    # One "Strategisk satsning" per section, for the whole municipality.
    assert [a.goals.count() for a in areas] == [1, 1, 1, 1, 1]
    assert goals_per_department(strategy) == {None: 5}
    assert areas[0].goals.get().text == "Vi vil styrke arbejdet med praktikvejledningen."
    # "Forslag til indsatser" a)-c) in 2.1-2.4; "De lokale handleplaner kan indeholde" a)-b).
    assert [list(a.initiatives.values_list("reference", flat=True)) for a in areas] == [
        ["a)", "b)", "c)"],
        ["a)", "b)", "c)"],
        ["a)", "b)", "c)"],
        ["a)", "b)", "c)"],
        ["a)", "b)"],
    ]
    assert statuses(strategy.initiatives.all()) == {"proposal": 14}
    # Each proposal serves its section's strategisk satsning.
    for area in areas:
        goal = area.goals.get()
        for initiative in area.initiatives.all():
            assert list(initiative.goals.all()) == [goal]
    # Words the PDF hyphenated across lines are whole again.
    assert strategy.initiatives.filter(title__contains="praktikvejlederfunktionen").count() == 2
    for word in ("efteruddannelse", "modtagedage", "ledelsesansvaret", "lederfora", "projekter"):
        assert strategy.initiatives.filter(title__contains=word).count() == 1, word


def test_loading_twice_changes_nothing(seeds):
    """A second `load_strategies` creates no row and says that each strategy exists."""
    before = [m.objects.count() for m in (Strategy, FocusArea, Goal, Initiative, StatusUpdate)]
    out = io.StringIO()
    assert load_strategies(stdout=out) == []
    after = [m.objects.count() for m in (Strategy, FocusArea, Goal, Initiative, StatusUpdate)]
    assert after == before
    assert out.getvalue().count("findes allerede") == len(list(STRATEGIES_DIR.glob("*.json")))


def test_it_loads_only_the_municipalities_that_exist(db, tmp_path):
    """A file whose municipality is missing is skipped with a message; the others load."""
    load_organisation()
    frederikssund = (STRATEGIES_DIR / "250_frederikssund.json").read_text(encoding="utf-8")
    (tmp_path / "250.json").write_text(frederikssund, encoding="utf-8")
    missing = json.loads(frederikssund) | {"municipality": 999}
    (tmp_path / "999.json").write_text(json.dumps(missing), encoding="utf-8")
    out = io.StringIO()
    created = load_strategies(stdout=out, directory=tmp_path)
    assert [s.municipality.code for s in created] == [250]
    assert Strategy.objects.count() == 1
    assert "Springer over 999.json: kommune 999 findes ikke." in out.getvalue()


def test_an_unknown_department_rolls_back_the_whole_strategy(db, tmp_path):
    """A goal naming a department the municipality lacks stops the load and writes nothing."""
    load_organisation()
    data = json.loads((STRATEGIES_DIR / "250_frederikssund.json").read_text(encoding="utf-8"))
    data["focus_areas"][2]["department_goals"] = {"Skole": ["Et mål"]}
    (tmp_path / "250.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SeedError, match="ukendt fagområde 'Skole'"):
        load_strategies(directory=tmp_path)
    assert not Strategy.objects.exists()
    assert not FocusArea.objects.exists()


def test_every_demo_coordinator_has_follow_up_on_the_start_page(db, client, password):
    """The demo gives goals owners who can own them, follow-up dates (some overdue, some due
    within 30 days) and status notes in all five municipalities, the same on every load."""
    load_organisation()
    load_users()
    load_strategies()
    today = timezone.localdate()
    coordinators = User.objects.filter(role="coordinator").select_related("municipality")
    assert coordinators.values("municipality").distinct().count() == 5
    soon = today + datetime.timedelta(days=30)
    for coordinator in coordinators:
        municipality = coordinator.municipality
        goals = Goal.objects.filter(focus_area__strategy__municipality=municipality)
        initiatives = Initiative.objects.filter(strategy__municipality=municipality)
        for items in (goals, initiatives):
            assert not items.filter(owner=None).exists(), municipality
            assert not items.exclude(owner__role__in=["coordinator", "leader", "hr"]).exists()
        dates = sorted(
            [*goals.values_list("follow_up_on", flat=True)]
            + [*initiatives.values_list("follow_up_on", flat=True)]
        )
        assert dates[0] < today and any(today <= d <= soon for d in dates), municipality
        assert dates[-1] > today + datetime.timedelta(days=180), municipality
        if goals.exists():
            assert StatusUpdate.objects.filter(goal__in=goals).exists()
        client.force_login(coordinator)
        page = client.get(reverse("strategy:followup")).text
        assert 'status-bad">Overskredet</span>' in page, coordinator.username
    # Deterministic: the plan depends on the files, the users and the load date only.
    plan = list(Goal.objects.order_by("id").values_list("owner__username", "follow_up_on"))
    Strategy.objects.all().delete()
    load_strategies()
    assert list(Goal.objects.order_by("id").values_list("owner__username", "follow_up_on")) == plan
