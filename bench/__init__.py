"""The benchmarks behind `make bench` (`manage.py bench`) and `make bench-search`
(`manage.py bench_search`, and scripts/bench-search across scales).

- `workload`: the requests of each row, written to files for wrk (URL lists, booking bodies
  on distinct free slots across the catalog's providers) and the bench client's account.
- `fixtures`: the bench providers of the dashboard and day picker rows, with their bookings.
- `cached_rows`: real writes at a steady rate while the cached pages are measured, and
  their hits and misses timed apart.
- `server`: gunicorn with production settings, started and stopped by the run, the memory
  of its workers, and signing in through the login form.
- `report`: wrk's figures per row, the printed tables, the JSON file and the targets.
- `search_matrix`: the generated searches both benchmarks send.
- `scales`: bench_search runs at several scales compared.
- `views`: the baseline, a bare view answering "ok" (mounted only with BENCH_BASELINE on).
"""
