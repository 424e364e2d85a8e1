"""Date and time formats, one set per language (`FORMAT_MODULE_PATH`).

Each language module names all five display formats, so a page shows a date one way whichever
filter a template uses. Times are on the 24-hour clock in every language: Django's English
"a.m."/"p.m." ends in a full stop, which doubled the one closing a sentence ("Searched on
12/08/2026 12:17 a.m.."), and its month-first order is not how European readers write dates.
No format may end in a full stop, for the same reason; `tests/network/test_dates.py` checks it.
Number separators and input formats stay Django's.
"""
