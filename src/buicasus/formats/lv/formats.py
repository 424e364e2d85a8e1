"""Latvian: "2026. gada 8. decembris", short dates day.month.year, 24-hour clock."""

DATE_FORMAT = r"Y. \g\a\d\a j. F"
DATETIME_FORMAT = r"Y. \g\a\d\a j. F, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
