import datetime

from .. import charts


def test_a_data_table_row_escapes_its_texts_and_writes_its_numbers_as_the_template_did():
    chart = charts.bar_chart(
        "partenaires",
        "Orientations vers les partenaires",
        [("<b>CAF</b> & co", 1234), ("=CPAM", 3)],
        previous={"=CPAM": 2},
        label_column="Partenaire",
    )
    body = chart.table_body
    assert body.count("<tr>") == 2
    assert (
        '<tr><th scope="row">&lt;b&gt;CAF&lt;/b&gt; &amp; co</th><td>1234</td><td>99,8 %</td><td>0</td>'
        "<td>nouveau</td></tr>" in body
    )
    assert '<tr><th scope="row">=CPAM</th><td>3</td><td>0,2 %</td><td>2</td><td>+50,0 %</td></tr>' in body
    first = charts.bar_chart("canaux", "Visites par canal", [("téléphone", 2)])
    assert "<td>–</td>" in first.table_body  # No previous period: a dash, as `default_if_none` gave.
    start = datetime.date(2026, 3, 2)
    time = charts.time_chart("evolution", {start: 5}, start, start + datetime.timedelta(days=2))
    assert time.table_body.count("<tr>") == 3 and "<td>5</td></tr>" in time.table_body


def test_a_long_data_table_shows_its_largest_values_then_the_others_summed_and_the_downloads_keep_all():
    items = [(f"Partenaire {number:04d}", 1000 - number) for number in range(300)]
    previous = {label: 1 for label, _value in items}
    chart = charts.bar_chart("partenaires", "Orientations", items, previous=previous, label_column="Partenaire")
    body = chart.table_body
    assert body.count("<tr>") == charts.TABLE_ROWS + 1
    assert "Partenaire 0000" in body and f"Partenaire {charts.TABLE_ROWS - 1:04d}" in body
    assert f"Partenaire {charts.TABLE_ROWS:04d}" not in body
    rest = items[charts.TABLE_ROWS :]
    value = sum(value for _label, value in rest)
    share = charts.percent(value, sum(value for _label, value in items), ",")
    assert (
        f'<tr><th scope="row">Les {len(rest)} autres valeurs (toutes dans les téléchargements CSV et XLSX)</th>'
        f"<td>{value}</td><td>{share}</td><td>{len(rest)}</td>" in body
    )
    assert len(chart.rows) == 300  # What the CSV and XLSX of the chart are written from (views.export_aggregate).


def test_the_time_chart_leaves_room_for_its_longest_tick_label_and_groups_its_mean():
    start = datetime.date(2026, 1, 1)
    chart = charts.time_chart("evolution", {start: 92_801}, start, datetime.date(2026, 12, 31))
    top = chart.axis[-1]
    assert top["label"].replace("\u202f", " ").replace("\xa0", " ") == "100 000"
    assert top["x"] >= 7 * len(top["label"]) and top["grid_x"] > top["x"]  # Not clipped at the SVG's left edge.
    assert all(bar.x > top["grid_x"] for bar in chart.bars)
    assert "7\u202f733,4 en moyenne par mois" in chart.summary or "7\xa0733,4 en moyenne par mois" in chart.summary
