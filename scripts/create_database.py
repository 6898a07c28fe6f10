"""Create the PostgreSQL database named in DATABASE_URL if it does not exist yet."""

import os
import sys

import psycopg
from psycopg import sql

url = os.environ["DATABASE_URL"]
server, name = url.rsplit("/", 1)
name = name.split("?", 1)[0]
with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
    exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if not exists:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"Created database {name}.", file=sys.stderr)
