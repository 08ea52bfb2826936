"""The statutory review-schedule engine: plain Python, no Django (spec/rules.md §1-3).

- ``calendar``: working days and months (rules.md §1).
- ``periods``: periods of care from SSDA903 episodes (rules.md §2).
- ``regimes``: the review timetables and when each applies (CPPCR regs 33 and 48, AAR reg 36).
- ``schedule``: one child's reviews, due dates and next review (rules.md §3).
- ``bulk``: the same schedule for a whole return at once, in numpy.
"""
