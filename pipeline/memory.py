"""The allocators under pandas and DuckDB set up so that a phase's peak is not held through the
next: pyarrow's pool (the text columns) and DuckDB's buffer pool keep what they once used for
the next use, and a run that stores a year and then writes its roll-ups would hold the first
through the whole of the second.
"""

import pyarrow

# DuckDB: freed blocks given back past 16 MB (it keeps 128 MB by default), and its buffer
# pool held to 128 MB (by default 80 % of the machine's memory): storing the benchmark's year
# took 100 MB more without it, what the transaction wrote being kept in memory as well as
# written; past the limit DuckDB reads blocks from the file again, or spills to its temp
# directory.
DUCKDB = {"allocator_flush_threshold": "16MB", "allocator_background_threads": True,
          "memory_limit": "128MB"}


def allocate_plainly() -> None:
    """pyarrow's buffers (pandas' text columns) taken from the C library, as everything else
    is: its own pool (mimalloc) kept much of what judging a year of files freed. On the
    benchmark's year the run's peak fell by 40-60 MB and judging by 0.3 s."""
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())
