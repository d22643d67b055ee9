# The English interface keeps dd/mm/yyyy: the dates are Vietnamese legal dates. Only
# the number separators are English; everything else is the Vietnamese module's.
from config.formats.vi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
