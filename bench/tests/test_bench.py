"""The benchmark's parts that need no server: wrk output, the report, the database name, the dataset."""

import datetime
import json
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Q, Sum
from django.utils import timezone

from accounts.models import User
from accueil.enums import Residence
from accueil.models import Visit, local_day_bounds
from accueil.stats.models import DailyCount, Dimension, MonthlyCount
from bench import run
from bench.seed import SLUG_PREFIX, Volumes, bench_seed
from events.enums import OccupancyStatus
from events.models import Occupancy
from maisons.models import Maison, OpeningHours, Room
from pages.models import InformationPage, NewsPage
from partenaires.models import Partner

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:43877/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    70.12ms   25.30ms 250.00ms   70.00%
    Req/Sec   110.00     20.00   150.00     70.00%
  2193 requests in 10.02s, 20.00MB read
Requests/sec:    218.92
Transfer/sec:      2.00MB
BENCH_RESULT {"requests": 2193, "duration_s": 10.017, "bytes": 20971520, "requests_per_s": 218.92, \
"latency_mean_us": 70120.5, "latency_p50_us": 66412, "latency_p95_us": 114087, "latency_p99_us": 180000, \
"latency_max_us": 250000, "errors": {"connect": 0, "read": 0, "write": 0, "status": 3, "timeout": 1}}
"""


def make_row(name, url, rate, p50, p95, queries):
    result = run.WrkResult(
        requests=int(rate * 10),
        duration_s=10.0,
        requests_per_s=rate,
        latency_p50_ms=p50,
        latency_p95_ms=p95,
        latency_p99_ms=p95 * 2,
        latency_max_ms=p95 * 3,
        errors={"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0},
    )
    return run.Row(run.Page(name, url), [f"SELECT {n}" for n in range(queries)], result)


def make_meta():
    return {
        "date": "2026-11-29 20:36 UTC",
        "scale": 1,
        "data": {"rows": {"maisons": 10, "rooms": 30, "visits": 20171, "occupancies": 2006, "partners": 48}},
        "machine": {"cpus": 2, "cpu_model": "Processeur de test", "python": "3.11.7", "django": "5.2"},
        "server": {"gunicorn": "27.0.1", "workers": 4, "settings": "bench.settings"},
        "load": {"tool": "wrk", "threads": 2, "connections": 16, "duration": 10, "warmup": 2},
        "code": "commit abc1234",
    }


def test_parse_wrk_output_reads_the_lua_report():
    result = run.parse_wrk_output(WRK_OUTPUT)

    assert result.requests == 2193
    assert result.requests_per_s == 218.92
    assert result.latency_p50_ms == 66.412
    assert result.latency_p95_ms == 114.087
    assert result.status_errors == 3
    assert result.socket_errors == 1


def test_parse_wrk_output_without_report_explains():
    with pytest.raises(run.BenchError, match="wrk n’a pas donné de résultat"):
        run.parse_wrk_output("unable to connect to 127.0.0.1:8000 Connection refused\n")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgres://postgres@127.0.0.1:5432/portail",
            "postgres://postgres@127.0.0.1:5432/portail_bench",
        ),
        # The embedded server's form: a percent-encoded socket folder, moved to the path django-environ reads.
        (
            "postgres://postgres@%2Fwork%2FMain%2Fvar%2Fpostgres:5432/portail",
            "postgres://postgres@:5432//work/Main/var/postgres/portail_bench",
        ),
        (
            "postgres://postgres@:5432//work/main/var/postgres/portail",
            "postgres://postgres@:5432//work/main/var/postgres/portail_bench",
        ),
        (
            "postgresql://user:p%40ss@db.example.org/portail?sslmode=require",
            "postgresql://user:p%40ss@db.example.org/portail_bench?sslmode=require",
        ),
    ],
)
def test_bench_database_url_appends_bench_to_the_name(url, expected):
    assert run.bench_database_url(url) == expected


def test_bench_database_url_refuses_another_database():
    with pytest.raises(run.BenchError):
        run.bench_database_url("sqlite:///db.sqlite3")


def test_data_queries_leave_out_transaction_statements():
    captured = [{"sql": sql} for sql in ("BEGIN", "SELECT 1", "SAVEPOINT s1", "RELEASE SAVEPOINT s1", "COMMIT")]

    assert run.data_queries(captured) == ["SELECT 1"]


def test_markdown_table_lines_up_french_figures_and_ceiling_ratio():
    ceiling = make_row("Plafond", "/bench/plafond/", 2000.0, 5.0, 12.0, 0)
    rows = run.with_ceiling_ratios([make_row("Accueil", "/", 1512.4, 9.25, 21.0, 3), ceiling], ceiling)

    table = run.markdown_table(rows).splitlines()

    assert table[0].split("|")[1:-1] == [
        " Page    ",
        " URL               ",
        " Requêtes/s ",
        " Médiane (ms) ",
        " p95 (ms) ",
        " p95 seul (ms) ",
        " Requêtes SQL ",
        " % du plafond ",
        " Objectif ",
    ]
    assert table[1].startswith("| ------- | ----------------- | ---------: |")
    cells = [cell.strip() for cell in table[2].split("|")[1:-1]]
    assert cells == ["Accueil", "`/`", "1\u202f512", "9,2", "21,0", "–", "3", "76\u00a0%", ""]
    assert [cell.strip() for cell in table[3].split("|")[1:-1]][-2] == "100\u00a0%"
    assert len({len(line) for line in table}) == 1


def test_public_pages_are_measured_through_the_views_and_from_the_cache():
    uncached, cached = run.public("Accueil", "/")
    assert (uncached.cached, uncached.cookie) == (False, run.UNCACHED_COOKIE)
    assert (cached.cached, cached.cookie) == (True, None)
    ceiling = make_row("Plafond", "/bench/plafond/", 2000.0, 5.0, 12.0, 0)
    rows = [
        run.Row(uncached, [], make_row("", "/", 210.0, 9.0, 30.0, 0).result),
        run.Row(cached, [], make_row("", "/", 1100.0, 4.0, 120.0, 0).result),
    ]
    run.with_ceiling_ratios(rows, ceiling)
    assert run.target(rows[0]) == "atteint (≥ 10\u00a0%)"
    assert run.target(rows[1]) == "manqué (≥ 50\u00a0%, p95 < 100 ms)"  # Fast enough, but its p95 is too long.
    assert run.target(ceiling) == ""


def test_write_results_writes_markdown_json_and_latest(tmp_path):
    ceiling = make_row("Plafond", "/bench/plafond/", 2000.0, 5.0, 12.0, 0)
    rows = run.with_ceiling_ratios([make_row("Santé", "/sante/", 500.0, 20.0, 40.0, 1), ceiling], ceiling)

    paths = run.write_results(make_meta(), rows, tmp_path / "results", "20261129T203600Z")

    assert [path.name for path in paths] == ["20261129T203600Z.md", "20261129T203600Z.json", "latest.md"]
    markdown = paths[0].read_text(encoding="utf-8")
    assert paths[2].read_text(encoding="utf-8") == markdown
    assert "- Échelle : 1 (10 Maisons, 30 salles, 20\u202f171 visites" in markdown
    assert "4 workers sync" in markdown and "16 connexions" in markdown and "2 processeurs" in markdown
    assert "Import de partenaires" not in markdown  # Not measured in this run.
    meta = make_meta()
    meta["data"]["imports"] = {
        "steps": {"organisations": {"rows": 10000, "seconds": 12.5}, "services": {"rows": 30000, "seconds": 34.4}},
        "seconds": 46.9,
        "target_seconds": 60,
        "met": True,
        "peak_rss_mb": 318.5,
    }
    with_import = run.write_results(meta, rows, tmp_path / "again", "20261129T203600Z")[0].read_text(encoding="utf-8")
    assert "- Import de partenaires : organisations 10000 lignes en 12,5 s" in with_import
    data = json.loads(paths[1].read_text(encoding="utf-8"))
    expected = {
        "name": "Santé",
        "url": "/sante/",
        "sql_queries": 1,
        "sql": ["SELECT 0"],
        "ceiling_ratio_percent": 25.0,
        "requests_per_s": 500.0,
        "latency_p50_ms": 20.0,
        "latency_p95_ms": 40.0,
    }
    assert {key: data["pages"][0][key] for key in expected} == expected
    assert data["load"]["connections"] == 16


def test_ceiling_view_is_public(client, settings):
    settings.ROOT_URLCONF = "bench.urls"

    response = client.get("/bench/plafond/")

    assert response.status_code == 200


SMALL = Volumes(
    maisons=3,
    rooms_per_maison=2,
    visits=60,
    occupancies=40,
    partners=4,
    news=3,
    information_pages=2,
    reception_visits=500,
    reception_maisons=8,
    past_occupancies=30,
)


def test_bench_seed_adds_the_volumes_to_the_demonstration_data(db, few_communes):
    report = bench_seed(SMALL)

    bench_maisons = Maison.objects.filter(slug__startswith=SLUG_PREFIX, is_published=True)
    assert bench_maisons.count() == 3
    # The reception log's Maisons complete the count, unpublished: the public pages keep the published ones.
    assert report.maisons == SMALL.reception_maisons == 2 + 3 + 3
    assert Maison.objects.filter(slug__startswith=SLUG_PREFIX + "accueil-", is_published=False).count() == 3
    assert Room.objects.filter(maison__in=bench_maisons).count() == 3 * 2
    assert OpeningHours.objects.filter(maison__in=bench_maisons, weekday=0).count() == 3 * 2
    assert Partner.objects.filter(slug__startswith=SLUG_PREFIX).count() == 4
    assert Visit.objects.count() == report.visits == report.demo_visits + 60 + 500
    assert Occupancy.objects.count() == report.occupancies == report.demo_occupancies + 40 + 30
    assert Occupancy.objects.filter(period__endswith__lt=timezone.now() - datetime.timedelta(days=182)).count() == 30
    assert Occupancy.objects.filter(Q(maison__in=bench_maisons) | Q(slug__startswith=SLUG_PREFIX)).exists()
    assert Occupancy.objects.filter(status=OccupancyStatus.CONFIRMED).exists()
    assert NewsPage.objects.live().filter(slug__startswith=SLUG_PREFIX).count() == 3
    assert InformationPage.objects.live().filter(slug__startswith=SLUG_PREFIX).count() == 2


def test_bench_seed_reception_visits_are_valid_and_counted_in_the_summary(db, few_communes):
    bench_seed(SMALL)

    seeded = Visit.objects.filter(agent__isnull=True)
    assert seeded.count() >= 500
    # Every Maison receives visits, each with one reason or two different ones, never today or later, weekdays.
    assert seeded.values("maison").distinct().count() == SMALL.reception_maisons
    reasons = Counter(Visit.motifs.through.objects.filter(visit__in=seeded).values_list("visit", flat=True))
    assert set(reasons.values()) <= {1, 2} and len(reasons) == seeded.count()
    assert not seeded.filter(occurred_at__gte=local_day_bounds(timezone.localdate())[0]).exists()
    assert all(timezone.localtime(moment).weekday() < 5 for moment in seeded.values_list("occurred_at", flat=True))
    assert not seeded.filter(residence=Residence.COMMUNE, commune__isnull=True).exists()
    # The statistics read the summary: it counts every visit, the SQL-seeded ones included.
    assert DailyCount.objects.filter(dimension=Dimension.TOTAL).aggregate(total=Sum("count"))["total"] == (
        Visit.objects.count()
    )
    # And its monthly roll-up, which the statistics read for whole months.
    assert MonthlyCount.objects.filter(dimension=Dimension.TOTAL).aggregate(total=Sum("count"))["total"] == (
        Visit.objects.count()
    )


def test_bench_seed_twice_gives_the_same_dataset(db, few_communes):
    first = bench_seed(SMALL)

    second = bench_seed(SMALL)

    assert second == first


def test_bench_seed_pages_answer_on_the_dataset(db, few_communes, client, settings):
    settings.ROOT_URLCONF = "bench.urls"
    bench_seed(SMALL)

    for page in run.PAGES:
        client.logout()
        if page.user:
            client.force_login(User.objects.get(email=page.user))
        assert client.get(page.url).status_code == 200, page


def test_bench_seed_refuses_a_database_that_is_not_for_benchmarks(db, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "portail")

    with pytest.raises(RuntimeError, match="n’est pas une base de mesure"):
        bench_seed(SMALL)


def test_an_issue_latency_target_is_what_one_reader_waits_alongside_the_public_pages_targets():
    ceiling = make_row("Plafond", "/bench/plafond/", 2000.0, 5.0, 12.0, 0)
    crowded = make_row("", "/", 400.0, 40.0, 120.0, 0).result  # 16 connections.
    alone, slow_alone = make_row("", "/", 40.0, 20.0, 35.0, 0).result, make_row("", "/", 9.0, 90.0, 130.0, 0).result
    staff = run.Page("Statistiques", "/accueil/statistiques/", p95_target_ms=100)
    uncached, cached = run.public("Agenda", "/agenda/", p95_target_ms=100)
    rows = run.with_ceiling_ratios(
        [
            run.Row(staff, [], crowded, alone),
            run.Row(staff, [], crowded, slow_alone),
            run.Row(uncached, [], crowded, alone),
            run.Row(cached, [], make_row("", "/", 1500, 4.0, 20.0, 0).result, alone),
        ],
        ceiling,
    )

    assert run.target(rows[0]) == "atteint (p95 seul < 100 ms)"  # 120 ms at 16 connections, 35 ms for one reader.
    assert run.target(rows[1]) == "manqué (p95 seul < 100 ms)"
    assert run.target(rows[2]) == "atteint (≥ 10\u00a0%, p95 seul < 100 ms)"  # 20 % of the ceiling.
    assert run.target(rows[3]) == "atteint (≥ 50\u00a0%, p95 < 100 ms, p95 seul < 100 ms)"
    assert [cell.strip() for cell in run.markdown_table(rows).splitlines()[2].split("|")[1:-1]][4:6] == [
        "120,0",
        "35,0",
    ]
    timed_out = run.Row(staff, [], crowded, make_row("", "/", 0.0, 0.0, 0.0, 0).result)
    assert run.target(timed_out) == "manqué (p95 seul < 100 ms)"  # No answer in time is no figure.


def test_writes_are_judged_at_the_peoples_pace_and_shown_without_pause_too():
    common = {"name": "Accueil : enregistrer une visite", "url": "POST /accueil/", "users": 16, "duration_s": 30}
    figures = {"requests_per_s": 10.0, "target_p95_ms": 50, "refused": 0, "errors": 0, "records_ok": True}
    paced = {**common, **figures, "paced": True, "requests": 300, "median_ms": 20, "p95_ms": 41, "records": "ok"}
    burst = {**paced, "paced": False, "p95_ms": 400, "requests_per_s": 60.0}
    slow = {**paced, "p95_ms": 75}

    assert (run.write_met(paced), run.write_met(burst), run.write_met(slow)) == (True, None, False)
    section = run.writes_section([paced, burst]).splitlines()
    rows = [[cell.strip() for cell in line.split("|")[1:-1]] for line in section if line.startswith("| Accueil")]
    assert [row[3] for row in rows] == ["le leur", "sans pause"]
    assert [row[-1] for row in rows] == ["atteint (p95 < 50 ms)", ""]
    assert run.WriteResult(**paced).met is True and run.WriteResult(**burst).met is None
