"""The two libraries as the loader reads them."""

from datetime import date, timedelta

import chinese_calendar

from portal.workcalendar import sources


def test_official_years_are_the_years_chinese_calendar_supports():
    years = sources.official_years()
    assert chinese_calendar.is_workday(date(years.start, 6, 1)) in (True, False)
    assert chinese_calendar.is_workday(date(years.stop - 1, 6, 1)) in (True, False)
    assert 2026 in years


def test_official_days_agree_with_chinese_calendar_on_every_supported_date():
    years = sources.official_years()
    day, last = date(years.start, 1, 1), date(years.stop - 1, 12, 31)
    while day <= last:
        assert sources.official_day(day).is_working_day == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_official_days_carry_the_festival_in_chinese():
    assert sources.official_day(date(2026, 9, 20)).note == "国庆节调休上班"
    assert sources.official_day(date(2026, 10, 1)).note == "国庆节"
    assert sources.official_day(date(2026, 10, 7)).note == "国庆节（调休）"
    assert sources.official_day(date(2026, 10, 12)).note == ""


def test_statutory_days_are_weekdays_without_public_holidays():
    assert not sources.statutory_day(date(2027, 10, 1)).is_working_day
    assert sources.statutory_day(date(2027, 10, 1)).note
    assert not sources.statutory_day(date(2027, 10, 9)).is_working_day  # Saturday
    assert sources.statutory_day(date(2027, 10, 11)).is_working_day
    assert sources.statutory_day(date(2027, 3, 8)).is_working_day  # 妇女节 is a half day, not a rest day
