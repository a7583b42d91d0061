"""The portal's Danish date formats for Django's own rendering (`{{ value }}`, `|date` without
an argument, forms, the admin): the same as `apps.core.formatting.format_date`/`format_datetime`,
so a date looks the same on every page ("15.12.2026", "15.12.2026 kl. 15:41")."""

DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = r"d.m.Y \k\l. H:i"
SHORT_DATETIME_FORMAT = r"d.m.Y \k\l. H:i"
MONTH_DAY_FORMAT = "j. F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
# Input formats as Django's own Danish locale has them (ISO dates are always accepted too).
DATE_INPUT_FORMATS = ["%d.%m.%Y"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M:%S.%f", "%d.%m.%Y %H:%M"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1
