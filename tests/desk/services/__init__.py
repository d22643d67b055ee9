"""desk.services against the real database: every transition, its guards, and
what a refused call leaves behind (nothing).

Moments are explicit (``at=``/``received_at=``) and fall in ordinary weeks of
2026 unless a test seeds the calendar; 09/03/2026 is a Monday.
"""
