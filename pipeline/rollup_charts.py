"""Native charts of the roll-ups, drawn from cells of the workbook itself so that what a
chart shows is what its table says: progress against expected, scores, trends. A line
chart is drawn from a hidden copy of its table's figures where "no data" is a blank (a gap
in the line), not the table's text, which a chart would draw as 0 %."""

from pipeline.xlsx_style import FONT

BLUE, GREY, ORANGE = "#2E75B6", "#A5A5A5", "#C55A11"
# Distinct enough in print for up to ten KRs on one trend chart.
PALETTE = ("#1F4E78", "#C55A11", "#548235", "#7030A0", "#BF9000", "#2E75B6", "#C00000",
           "#00B0F0", "#7F6000", "#FF66CC")


def _chart(book, kind: str, title: str, size: tuple[int, int], percent_axis: str | None):
    chart = book.add_chart(kind)
    chart.set_title({"name": title, "name_font": {"name": FONT, "size": 14, "bold": True}})
    chart.set_legend({"position": "bottom", "font": {"name": FONT, "size": 11}})
    chart.set_size({"width": size[0], "height": size[1]})
    axis = {"min": 0, "max": 1, "num_format": "0%", "major_gridlines": {"visible": True},
            "num_font": {"name": FONT, "size": 11}}
    other = {"num_font": {"name": FONT, "size": 11}}
    if percent_axis == "x":
        chart.set_x_axis(axis)
        chart.set_y_axis({**other, "reverse": True, "interval_unit": 1})  # every KR named
    elif percent_axis == "y":
        chart.set_y_axis(axis)
        chart.set_x_axis(other)
    return chart


def progress_bars(book, sheet, rows: tuple[int, int], columns: dict[str, int],
                  anchor: tuple[int, int], size: tuple[int, int]) -> None:
    """Horizontal bars: each KR's capped progress beside the period's expected progress.
    `columns` names the cells: category (KR code), progress, expected."""
    first, last = rows
    name = sheet.get_name()
    chart = _chart(book, {"type": "bar"},
                   "ความก้าวหน้าเทียบกับที่คาดหวัง / progress against expected",
                   size, "x")
    for key, label, colour in (("progress", "ความก้าวหน้า / progress", BLUE),
                               ("expected", "ที่คาดหวัง / expected", GREY)):
        chart.add_series({
            "name": label, "categories": [name, first, columns["category"], last,
                                          columns["category"]],
            "values": [name, first, columns[key], last, columns[key]],
            "fill": {"color": colour}, "gap": 60})
    sheet.insert_chart(*anchor, chart, {"x_offset": 4, "y_offset": 4})


def plotted(sheet, top: int, left: int, series: list[tuple[str, list[float]]]
            ) -> tuple[int, int]:
    """The series a chart draws, each a name and its figures, written again in hidden columns
    from `left`, row `top` on: the name in column `left`, the figures as numbers and blanks
    after it; returns the figures' first and last column. A chart draws the text a table shows
    for "no data" as 0 %, and a blank as a gap; a name kept beside its figures, outside the
    table, stays with them when the table is sorted."""
    for row, (label, figures) in enumerate(series, start=top):
        sheet.write_string(row, left, label)
        for col, figure in enumerate(figures, start=left + 1):
            if figure == figure:  # not NaN
                sheet.write_number(row, col, figure)
    last = left + max((len(figures) for _, figures in series), default=1)
    sheet.set_column(left, last, None, None, {"hidden": True})
    return left + 1, last


def trend_lines(book, sheet, rows: tuple[int, int], value_cols: tuple[int, int],
                header_row: int, anchor: tuple[int, int], expected_row: int,
                plotted_cols: tuple[int, int],
                title: str = "แนวโน้มความก้าวหน้ารายตัวชี้วัด / progress of each KR over the year"
                ) -> None:
    """One line per KR over the periods of the fiscal year so far, the expected progress as a
    dashed line with diamonds; the table's header row names the periods. The lines are drawn
    from the figures `plotted` wrote again, in `plotted_cols`, from row `rows[0]` to
    `rows[1]`, and named as it did, in the column before them; at most as many as PALETTE has
    colours, so that no two lines look alike."""
    name = sheet.get_name()
    first_col, last_col = plotted_cols
    chart = _chart(book, {"type": "line"}, title, (620, 420), "y")
    chart.show_hidden_data()
    categories = [name, header_row, value_cols[0], header_row, value_cols[1]]
    for i, row in enumerate(range(rows[0], rows[1] + 1)):
        colour = PALETTE[i % len(PALETTE)]
        chart.add_series({"name": [name, row, first_col - 1], "categories": categories,
                          "values": [name, row, first_col, row, last_col],
                          "line": {"color": colour, "width": 2},
                          "marker": {"type": "circle", "size": 6,
                                     "fill": {"color": colour}, "border": {"color": colour}}})
    chart.add_series({"name": [name, expected_row, first_col - 1], "categories": categories,
                      "values": [name, expected_row, first_col, expected_row, last_col],
                      "line": {"color": "#000000", "width": 2, "dash_type": "dash"},
                      # in a year's first period the line is one point, drawn only as a marker
                      "marker": {"type": "diamond", "size": 7, "fill": {"color": "#000000"},
                                 "border": {"color": "#000000"}}})
    sheet.insert_chart(*anchor, chart, {"x_offset": 4, "y_offset": 8})


def score_columns(book, sheet, categories: tuple[int, int, int, int],
                  series: list[tuple[object, tuple[int, int, int, int]]],
                  anchor: tuple[int, int], title: str, bars: bool = False) -> None:
    """Scores by dimension as columns (or bars): `categories` and each series' values are
    cell ranges (first row, first col, last row, last col); a series' name is a text or a
    (row, col) cell."""
    name = sheet.get_name()
    height = 120 + 34 * (categories[2] - categories[0] + 1) if bars else 240
    chart = _chart(book, {"type": "bar" if bars else "column"}, title, (900, height),
                   "x" if bars else "y")
    for (label, values), colour in zip(series, (BLUE, GREY, ORANGE), strict=False):
        chart.add_series({"name": [name, *label] if isinstance(label, tuple) else label,
                          "categories": [name, *categories], "values": [name, *values],
                          "fill": {"color": colour}, "gap": 60})
    if len(series) == 1:
        chart.set_legend({"none": True})
    sheet.insert_chart(*anchor, chart, {"x_offset": 4, "y_offset": 8})
