"""Duplicate finding: pairs/s in the pure core at scale, then end to end on the database.

Sizes: BENCH_DEDUP_ROWS (core, default 1,000,000) and BENCH_DEDUP_DB_ROWS (database, default
200,000); see `buicasus.dedup.bench` for what is measured.
"""

from buicasus.dedup.bench import main

if __name__ == "__main__":
    main()
