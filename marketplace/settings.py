"""Settings for Marketplace, driven by environment variables.

With no variables set the site runs the *embedded default*: SQLite, local-memory
cache, Huey on SQLite, emails written to files in DATA_DIR/emails and DEBUG on. Setting
DEBUG=false switches to production, where the variables in PRODUCTION_REQUIRED must be set.
See .env.example for every variable.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name, default):
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
PRODUCTION = not DEBUG

# Production refuses to start on a half-configured environment: a missing variable
# is named in the error instead of surfacing later as a confusing failure.
PRODUCTION_REQUIRED = (
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "ALLOWED_HOSTS",
    "EMAIL_HOST",
    "DEFAULT_FROM_EMAIL",
    "JWT_PRIVATE_KEY",
)
if PRODUCTION:
    missing = [name for name in PRODUCTION_REQUIRED if env(name) is None]
    if missing:
        raise ImproperlyConfigured(
            "Missing required environment variable(s) for production (DEBUG=false): "
            + ", ".join(missing)
        )

DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / "var")))
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "marketplace.admin_site.MarketplaceAdminConfig",  # django.contrib.admin, figures on its home
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "csp",
    "corsheaders",
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.headless",
    "marketplace",
    "core",
    "accounts",
    "catalog",
    "photos",
    "booking",
    "reviews",
    "insights",
    "clients",
    "notifications",
    "quotes",
    "messaging",
    "live",
    "pages",
    "demo",
    "bench",
]

MIDDLEWARE = [
    "marketplace.middleware.RequestLogMiddleware",
    # Before anything reads: decides whether this request's reads may use a replica.
    "core.db.middleware.ReplicaRoutingMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Redis unreachable where it is needed: 503 + Retry-After, not a 500 (core/unavailable.py).
    "core.unavailable.ServiceUnavailableMiddleware",
    "core.api.errors.ApiJsonErrorsMiddleware",
    # Above SecurityMiddleware, so its HTTP-to-HTTPS redirect carries them like any answer.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.rate_limited.RetryAfterMiddleware",
    "marketplace.middleware.HtmxMessagesMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"
ASGI_APPLICATION = "marketplace.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "marketplace.context_processors.site",
                "marketplace.context_processors.unread_notifications",
                "messaging.context_processors.messaging",
            ],
        },
    },
]

# Databases: SQLite in DATA_DIR unless DATABASE_URL says otherwise.
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
IS_SQLITE = DATABASES["default"]["ENGINE"].endswith("sqlite3")
# Threads per process that may each hold a database connection at once: gunicorn's
# --threads for web (WEB_THREADS, 1 for sync workers) and the consumer's HUEY_WORKERS.
WEB_THREADS = int(env("WEB_THREADS", "1"))
HUEY_WORKERS = int(env("HUEY_WORKERS", "1" if IS_SQLITE else "2"))
# PostgreSQL: psycopg's connection pool, one per process, instead of one persistent
# connection per thread (docs/scaling.md). A gunicorn or Huey process never uses more
# than its threads' worth, so the pool's ceiling defaults to that; the floor stays open
# between requests. Development servers (runserver, the suite's live server) start a
# thread per request, with no bound: there the ceiling defaults to 10.
# The pool requires CONN_MAX_AGE 0 (Django hands each connection back at request end).
DB_POOL = IS_POSTGRES and env_bool("DB_POOL", True)
if DB_POOL:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    threads = max(WEB_THREADS, HUEY_WORKERS, 10 if DEBUG else 1)
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(env("DB_POOL_MIN_SIZE", "1")),
        "max_size": int(env("DB_POOL_MAX_SIZE", str(threads))),
        # Seconds a request waits for a free connection before failing (PoolTimeout).
        "timeout": float(env("DB_POOL_TIMEOUT", "10")),
        # Connections idle this long beyond min_size are closed.
        "max_idle": float(env("DB_POOL_MAX_IDLE", "300")),
    }

# Read replicas (PostgreSQL streaming replicas): DATABASE_REPLICA_URLS, comma-separated,
# become the aliases replica_1, replica_2... core.db.router.ReplicaRouter sends a GET's
# reads there; writes, transactions, background tasks and a session that wrote in the
# last DATABASE_REPLICA_PIN_SECONDS stay on the primary. A replica that is down, or lags
# more than DATABASE_REPLICA_MAX_LAG_SECONDS, is skipped (docs/scaling.md#read-replicas).
DATABASE_REPLICAS = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    alias = f"replica_{number}"
    replica = dj_database_url.parse(
        url, conn_max_age=int(env("DB_CONN_MAX_AGE", "60")), conn_health_checks=False
    )
    # Persistent connections, not a pool: a pool waits DB_POOL_TIMEOUT for a replica that
    # is down, where the router must notice it at once and read from the primary.
    replica.setdefault("OPTIONS", {})["connect_timeout"] = int(
        env("DATABASE_REPLICA_CONNECT_TIMEOUT", "2")
    )
    # The suite (if a replica is configured around it) reads its test database directly.
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES[alias] = replica
    DATABASE_REPLICAS.append(alias)
DATABASE_REPLICA_MAX_LAG_SECONDS = float(env("DATABASE_REPLICA_MAX_LAG_SECONDS", "3"))
# Longer than the lag bound, so a session reads its own writes from the primary until
# any replica still used has them.
DATABASE_REPLICA_PIN_SECONDS = int(env("DATABASE_REPLICA_PIN_SECONDS", "10"))
# A replica found down is not tried again for this long (each try may cost connect_timeout).
DATABASE_REPLICA_RETRY_SECONDS = float(env("DATABASE_REPLICA_RETRY_SECONDS", "5"))
DATABASE_ROUTERS = ["core.db.router.ReplicaRouter"] if DATABASE_REPLICAS else []
if IS_SQLITE:
    # The embedded default has several writers on one file: the dev server and the Huey
    # consumer's worker threads. SQLite's default (deferred) transactions take the write
    # lock only at their first write, and a transaction that read first and then finds
    # another writer fails at once with "database is locked": waiting could deadlock, so
    # the busy timeout does not apply. IMMEDIATE takes the write lock at BEGIN, so every
    # atomic block (select_for_update is a no-op on SQLite) queues for up to `timeout`
    # seconds instead of failing. WAL lets readers go on while one writes, so the server's
    # pages do not queue behind a sending worker (and the consumer runs one worker, below).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    )
    # catalog.Service's covering index INCLUDEs non-key columns, which only PostgreSQL
    # supports; SQLite builds the index on its key columns and the check (models.W040)
    # says so on every migrate. Expected on the embedded default, so silenced here only:
    # on PostgreSQL the warning would mean a real problem and stays on.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    # Redis is a fast path only (core/cache.py): unreachable, a read is a miss and a write
    # is dropped (its key deleted once Redis is back), logged once a minute; short socket
    # timeouts so a Redis that drops packets cannot hang requests. See docs/deploy.md.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "mp"),
            "OPTIONS": {
                "CLIENT_CLASS": "core.cache.OutageTolerantClient",
                "SOCKET_CONNECT_TIMEOUT": float(env("REDIS_CONNECT_TIMEOUT", "0.5")),
                "SOCKET_TIMEOUT": float(env("REDIS_TIMEOUT", "0.5")),
                # After a failure, seconds before this process tries Redis again.
                "RETRY_SECONDS": float(env("REDIS_RETRY_SECONDS", "5")),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The database is the record of every session (so a Redis outage logs nobody out and API
# refresh tokens, bound to a session, survive it); the cache is only the fast path.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

HUEY = {
    "name": env("HUEY_NAME", "marketplace"),
    "immediate": env_bool("HUEY_IMMEDIATE", False),
    # One worker on SQLite, a file with a single writer; two beside a real database.
    "consumer": {
        "workers": HUEY_WORKERS,
        "worker_type": "thread",
    },
}
if REDIS_URL:
    HUEY |= {"huey_class": "huey.RedisHuey", "url": REDIS_URL}
else:
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "huey.sqlite3")}

# Live events (#22, docs/live.md): pages connect to the Server-Sent Events stream at
# /live/events/ (served by uvicorn beside gunicorn) when Redis is there; LIVE_EVENTS=false
# turns the push off and pages poll every 20 s. Each user's recent events are kept in a
# capped Redis stream so a reconnecting page catches up from its Last-Event-ID.
LIVE_EVENTS = env_bool("LIVE_EVENTS", True)
LIVE_KEY_PREFIX = env("LIVE_KEY_PREFIX", "")
LIVE_STREAM_MAXLEN = int(env("LIVE_STREAM_MAXLEN", "100"))
LIVE_STREAM_TTL_SECONDS = int(env("LIVE_STREAM_TTL_SECONDS", "86400"))
LIVE_HEARTBEAT_SECONDS = float(env("LIVE_HEARTBEAT_SECONDS", "15"))

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"

# django-allauth: email is the login, it must be verified, attempts are rate limited.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupDetailsForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# The link confirms (docs/pages.md): its key reaches only the mailbox it confirms, confirming
# twice changes nothing, and only the browser that signed up is logged in.
ACCOUNT_CONFIRM_EMAIL_ON_GET = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Marketplace] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
}
HEADLESS_ONLY = False
HEADLESS_TOKEN_STRATEGY = "allauth.headless.tokens.strategies.jwt.JWTTokenStrategy"
HEADLESS_JWT_ACCESS_TOKEN_EXPIRES_IN = int(env("JWT_ACCESS_TOKEN_SECONDS", "300"))
HEADLESS_JWT_REFRESH_TOKEN_EXPIRES_IN = int(env("JWT_REFRESH_TOKEN_SECONDS", "86400"))
HEADLESS_JWT_ROTATE_REFRESH_TOKEN = True
HEADLESS_FRONTEND_URLS = {}


def _embedded_jwt_key():
    """Generate (once) an RSA key for the embedded default, kept beside the database."""
    key_file = DATA_DIR / "jwt_private_key.pem"
    if not key_file.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        key_file.chmod(0o600)
    return key_file.read_text()


HEADLESS_JWT_PRIVATE_KEY = env("JWT_PRIVATE_KEY") or _embedded_jwt_key()

# JSON API (/api/): rate limits counted in the cache (Redis in production, so every
# gunicorn worker shares the counts), and CORS for the configured origins only.
API_RATE_LIMIT_ANON = "100/h"  # per IP, callers without an access token
API_RATE_LIMIT_USER = "1000/h"  # per user, callers with a valid access token
API_RATE_LIMIT_BOOKING_CREATE = "50/h"  # per user, on top of the above
# Accounts whose access tokens skip the limits above: only the load benchmark's client
# (`manage.py bench` sets it for the server it starts). Empty in any real deployment.
API_RATE_LIMIT_EXEMPT_EMAILS = env_list("API_RATE_LIMIT_EXEMPT_EMAILS")
# Access tokens are checked against their session on every request, so logging out,
# changing the password or deactivating an account cuts API access at once.
HEADLESS_JWT_STATEFUL_VALIDATION_ENABLED = True
# Behind N reverse proxies the client is the Nth address from the right of
# X-Forwarded-For; per-IP limits (the API's and allauth's) would otherwise count every
# client as the proxy.
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_EXPOSE_HEADERS = ["Retry-After", "X-Request-ID"]

# The load benchmark's baseline: a bare view answering "ok" at /bench/ok, mounted only when
# this is on (`manage.py bench` turns it on for the server it starts), so no deployment
# and no URL-walking test ever sees it.
BENCH_BASELINE = env_bool("BENCH_BASELINE", False)

LANGUAGE_CODE = "en-us"
LANGUAGES = [("en", "English"), ("es", "Spanish"), ("fr", "French"), ("de", "German")]
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
DEFAULT_CURRENCY = env("DEFAULT_CURRENCY", "USD")

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
# Providers' verification documents: never under MEDIA_ROOT or static, only handed out by
# an access-checked view (accounts.views.verification_document).
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(DATA_DIR / "private")))
VERIFICATION_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "accounts.storage.PrivateDocumentStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Object storage (S3, or any S3-compatible server) when S3_BUCKET is set: public media with
# long-cache URLs (S3_MEDIA_DOMAIN: the CDN in front of the bucket), private files under
# their own prefix or S3_PRIVATE_BUCKET, handed out only by the app (core/storage.py).
S3_BUCKET = env("S3_BUCKET")
S3_ENDPOINT_URL = env("S3_ENDPOINT_URL")
S3_MEDIA_DOMAIN = env("S3_MEDIA_DOMAIN")
if S3_BUCKET:
    from core.storage import s3_storages

    STORAGES |= s3_storages(
        bucket=S3_BUCKET,
        private_bucket=env("S3_PRIVATE_BUCKET"),
        endpoint_url=S3_ENDPOINT_URL,
        region_name=env("S3_REGION"),
        access_key=env("S3_ACCESS_KEY_ID"),
        secret_key=env("S3_SECRET_ACCESS_KEY"),
        media_domain=S3_MEDIA_DOMAIN,
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Email: SMTP when EMAIL_HOST is set. Otherwise the embedded default (SQLite) writes every
# email to a file in the outbox DATA_DIR/emails (one file per connection; `make run` prints
# the path), and other development setups print them on the console.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Marketplace <no-reply@marketplace.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
elif IS_SQLITE:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "emails"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Security: strict everywhere, HTTPS-only cookies and HSTS in production.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: HTMX gets the token from <body hx-headers> and forms from
# their hidden field, so the cookie can be out of scripts' reach too.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000")) if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Media on object storage are served from its host (or the CDN's).
        "img-src": ["'self'", "data:"]
        + (
            [
                f"https://{S3_MEDIA_DOMAIN}"
                if S3_MEDIA_DOMAIN
                else S3_ENDPOINT_URL or "https://*.amazonaws.com"
            ]
            if S3_BUCKET
            else []
        ),
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}


def _static_file_headers(headers, path, url):
    """WhiteNoise answers static files before the CSP and X-Frame-Options middleware run;
    give its answers the same policy, so no static file (an SVG, say) can run a script."""
    from csp.utils import build_policy

    headers["Content-Security-Policy"] = build_policy()
    headers["X-Frame-Options"] = X_FRAME_OPTIONS


WHITENOISE_ADD_HEADERS_FUNCTION = _static_file_headers

# Logs go to the console (stderr, which compose and any runtime collect like stdout, and
# which keeps them out of commands' own output such as `seed_demo --logins`; rotating them
# is the runtime's job): JSON lines in production, readable lines with the request id, user
# and duration in development. LOG_LEVEL=DEBUG in development adds every SQL statement
# (Django logs them only while DEBUG is on).
LOG_LEVEL = env("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "marketplace.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "marketplace.logging.JsonFormatter"},
        "readable": {"()": "marketplace.logging.ReadableFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if PRODUCTION else "readable",
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Under Django's "django" logger (INFO, with a console handler of its own): the SQL
        # lines reach ours once, at DEBUG when asked.
        "django.db.backends": {
            "handlers": ["console"],
            "level": "DEBUG" if LOG_LEVEL == "DEBUG" else "INFO",
            "propagate": False,
        },
        # The request log below replaces Django's own per-request lines.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        # A handler of our own stops Huey's consumer adding its differently formatted one.
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Error tracking: Sentry (or any server speaking its protocol) when SENTRY_DSN is set; no
# personal data is sent (marketplace/observability.py). The release is SENTRY_RELEASE, else
# the image's build argument APP_RELEASE (Dockerfile), else sentry-sdk's own guess (git).
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    from marketplace.observability import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        release=env("SENTRY_RELEASE") or env("APP_RELEASE"),
        environment=env("SENTRY_ENVIRONMENT", "production" if PRODUCTION else "development"),
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
