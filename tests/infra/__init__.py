"""Services the suite starts for itself (tests/infra/fixtures.py): a PostgreSQL 15
primary with a streaming replica, moto's S3 server, and an HTTP endpoint standing in for
Sentry. Each starts once per test process, only when a test asks for it, and a service
that cannot start fails the test loudly, never skips it."""
