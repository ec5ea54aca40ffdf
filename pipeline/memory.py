"""The allocators under pandas and DuckDB set up so that a phase's peak is not held through the
next: pyarrow's pool (the text columns) and DuckDB's buffer pool keep what they once used for
the next use, and a run that stores a year and then writes its roll-ups would hold the first
through the whole of the second.
"""

import pyarrow

# DuckDB: freed blocks given back past 16 MB (it keeps 128 MB by default), and its buffer
# pool held to 48 MB (by default 80 % of the machine's memory): past it DuckDB reads blocks
# from the file again, or spills to its temp directory. Without it, storing the benchmark's
# year took 100 MB more (what the transaction wrote kept in memory as well as written), and
# the roll-ups held 25-35 MB more of the warehouse. 32 MB is too little to build a period;
# 48 MB built and stored the scores of 120 periods of a ten-year warehouse (2.6 million
# facts) in one connection.
DUCKDB = {"allocator_flush_threshold": "16MB", "allocator_background_threads": True,
          "memory_limit": "48MB"}
# What storing a row in one transaction needs to hold at once (the primary key's index of the
# new rows above all): 50-80 bytes measured, twice that allowed for.
_STORED_ROW_BYTES = 128


def duckdb_limit_to_store(rows: int) -> str:
    """DuckDB's memory limit for a transaction that stores `rows` rows: a night's files fit in
    the usual 48 MB, a backlog of years stored at once needs more (128 MB fails at about
    2.5 million rows)."""
    return f"{max(48, 32 + (rows * _STORED_ROW_BYTES >> 20))}MB"


def allocate_plainly() -> None:
    """pyarrow's buffers (pandas' text columns) taken from the C library, as everything else
    is: its own pool (mimalloc) kept much of what judging a year of files freed. On the
    benchmark's year the run's peak fell by 40-60 MB and judging by 0.3 s."""
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())
