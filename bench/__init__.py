"""The load benchmark behind `make bench` (`manage.py bench`).

- `workload`: the requests of each row, written to files for wrk (URL lists, booking bodies
  on distinct free slots) and the bench client's account.
- `server`: gunicorn with production settings, started and stopped by the run, and the
  memory of its workers.
- `report`: wrk's figures per row, the printed table, the JSON file and the targets.
- `views`: the baseline, a bare view answering "ok" (mounted only with BENCH_BASELINE on).
"""
