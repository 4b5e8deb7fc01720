# Dates and times one way in both languages (issue 16): dd/mm/yyyy and the 24-hour clock, what a Vietnamese reader
# and most tourists expect. Django's own Vietnamese formats ("13-09-2024", "Ngày 04 tháng 12 năm 2026") and English
# ones ("09/13/2024", "10:40 p.m.") are replaced here; a sentence that needs the long form says it in its own words.
# Amounts are not formatted here: `marketplace.core.money.format_vnd` ("390.000 ₫", "390,000 VND").
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
