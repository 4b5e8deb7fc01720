# The same dates and times as in Vietnamese (dd/mm/yyyy, the 24-hour clock); English groups digits with commas.
from config.formats.vi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
