"""The warehouse's kr_scores and dimension_scores agree with the facts they stand on."""

from tests.running import query


def test_city_counts_are_the_sum_of_the_districts_figures(demo_settings):
    db = demo_settings.warehouse_path
    mismatched = query(db, """
        SELECT s.period, s.kr_code, s.actual, sum(f.actual) AS summed
        FROM kr_scores s
        JOIN current_facts f ON f.period = s.period AND f.kr_code = s.kr_code
        WHERE s.area = 'city' AND s.kr_type = 'count'
        GROUP BY ALL
        HAVING abs(s.actual - sum(f.actual)) > 1e-9""")
    assert mismatched == []
    assert query(db, "SELECT count(DISTINCT kr_code) FROM kr_scores WHERE kr_type = 'count'"
                 )[0][0] > 10


def test_every_period_with_data_has_scores_for_the_city_each_group_and_district(demo_settings):
    rows = query(demo_settings.warehouse_path, """
        SELECT period, count(*) FILTER (WHERE area = 'city'),
               count(DISTINCT area) FILTER (WHERE regexp_full_match(area, '[0-9]{2}')),
               count(DISTINCT area) FILTER (WHERE regexp_full_match(area, '[0-9]{4}'))
        FROM kr_scores GROUP BY period ORDER BY period""")
    krs = query(demo_settings.warehouse_path,
                "SELECT count(*) FROM key_results")[0][0]
    assert rows == [("2569-Q1", krs, 6, 50), ("2569-Q2", krs, 6, 50)]


def test_a_districts_own_row_is_its_current_figure(demo_settings):
    assert query(demo_settings.warehouse_path, """
        SELECT count(*) FROM kr_scores s JOIN current_facts f
          ON f.period = s.period AND f.kr_code = s.kr_code AND f.district_code = s.area
        WHERE s.actual IS DISTINCT FROM f.actual""") == [(0,)]
