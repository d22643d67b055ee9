"""The 2026 calendar the worked examples assert against, written out by hand.

It is the civil-service schedule as announced, not whatever the ``holidays``
package says, so the examples stay true if the package changes. Sources:
- Tết Nguyên đán: Ministry of Home Affairs, Saturday 14/02 to Sunday 22/02/2026
  (9 days; the weekdays off are 16–20/02).
- Hùng Kings (Sunday 26/04) with its compensatory Monday 27/04; 30/04 and 01/05.
- National Day: 01–02/09 (Tuesday–Wednesday) plus the bridging Monday 31/08, worked
  back on Saturday 22/08, as the ``holidays`` package (0.109) records the 2026
  announcement. The examples assert what is written here.
"""

import datetime as dt

from desk.deadlines import WorkCalendar

D = dt.date

DAYS_OFF_2026 = {
    D(2026, 1, 1): "Tết Dương lịch",
    **{D(2026, 2, day): "Tết Nguyên đán" for day in range(14, 23)},
    D(2026, 4, 26): "Giỗ Tổ Hùng Vương",
    D(2026, 4, 27): "Nghỉ bù Giỗ Tổ Hùng Vương",
    D(2026, 4, 30): "Ngày Chiến thắng",
    D(2026, 5, 1): "Ngày Quốc tế Lao động",
    D(2026, 8, 31): "Nghỉ bù Quốc khánh (làm bù Thứ Bảy 22/08)",
    D(2026, 9, 1): "Quốc khánh",
    D(2026, 9, 2): "Quốc khánh",
}
WORKING_DAYS_2026 = {D(2026, 8, 22): "Làm bù cho ngày 31/08"}


def official_2026() -> WorkCalendar:
    return WorkCalendar(DAYS_OFF_2026, WORKING_DAYS_2026)
