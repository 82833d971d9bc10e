"""certguard's benchmark harness (`make bench`), one concern per module:

  log         progress lines and logged commands
  machine     facts about the host, CPU placement, /proc readings
  server      a certguard-server on a loopback port
  loadgen     certguard-bench runs, alternated over rounds
  stats       medians, spreads and ratios over runs
  scenarios   the servers and the scenarios, as data tables
  tools       microbenchmarks, callgrind instruction counts, perf profile
  targets     the target table computed from the runs
  report      bench/RESULTS.md
  main        flags and the order of the steps

Python 3 standard library only.
"""
