from datetime import date

from django.utils import translation

from portal.workcalendar.models import Source, WorkDay


def test_the_calendar_speaks_chinese_by_default():
    with translation.override("zh-hans"):
        assert str(WorkDay._meta.verbose_name) == "日历日"
        assert str(Source.STATUTORY.label) == "法定节假日推算（暂定）"


def test_a_day_is_shown_as_its_iso_date():
    assert str(WorkDay(date=date(2026, 10, 10), is_working_day=True, source=Source.OFFICIAL)) == "2026-10-10"
