"""Peak memory comes from VmRSS in /proc/<pid>/status."""

from bench.rss import rss_kb


def test_it_reads_resident_memory_from_proc_status():
    assert rss_kb("Name:\tgunicorn\nVmPeak:\t 900 kB\nVmRSS:\t  123456 kB\n") == 123456


def test_it_counts_a_process_without_resident_memory_as_zero():
    assert rss_kb("Name:\tkthreadd\nState:\tS (sleeping)\n") == 0
