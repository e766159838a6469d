"""Writes django-sqlite.sql and django-postgres.sql: a drf-jwt-devices database with known users and devices.

The password hashes are made by Django's own hashers (run with Debian's python3-django, python3-argon2 and
python3-bcrypt), so the tests check the server against what Django really writes. The schema is what Django's
migrations create for auth_user and jwt_devices_device on each database. Run: python3 make_fixture.py
"""
import binascii
import os
import uuid

from django.conf import settings

settings.configure(PASSWORD_HASHERS=[
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
])

from django.contrib.auth.hashers import (  # noqa: E402
    Argon2PasswordHasher, BCryptSHA256PasswordHasher, MD5PasswordHasher, PBKDF2PasswordHasher,
    PBKDF2SHA1PasswordHasher, make_password)


class LightArgon2(Argon2PasswordHasher):
    # Django's format with lighter costs than its defaults (m=102400, p=8), so the tests stay quick.
    memory_cost = 1024
    parallelism = 2


class LightBCryptSHA256(BCryptSHA256PasswordHasher):
    rounds = 4


def pbkdf2(password, iterations):
    return PBKDF2PasswordHasher().encode(password, PBKDF2PasswordHasher().salt(), iterations)


# id, username, email, password (hash), is_active, is_staff, is_superuser, date_joined, last_login
USERS = [
    (1, "alice", "alice@example.com", pbkdf2("correct horse battery", 36000), True, True, True, "2098-05-01 10:00:00.000001", "2099-03-01 09:29:59.500000"),
    (2, "bob", "bob@example.com", PBKDF2SHA1PasswordHasher().encode("bob's old password", "bobsalt4bob", 20000), True, False, False, "2098-06-02 11:00:00", None),
    (3, "carol", "", LightArgon2().encode("lètmein ünïcode", LightArgon2().salt()), True, False, False, "2098-07-03 12:00:00", "2099-02-28 07:00:00"),
    (4, "dave", "dave@example.com", LightBCryptSHA256().encode("dave's bcrypt secret", LightBCryptSHA256().salt()), True, False, False, "2098-08-04 13:00:00", None),
    (5, "erin", "erin@example.com", pbkdf2("erin-is-gone", 36000), False, False, False, "2098-09-05 14:00:00", "2098-12-24 18:00:00"),
    (6, "frank", "frank@example.com", make_password(None), True, False, False, "2098-10-06 15:00:00", None),
    (7, "gina", "gina@example.com", MD5PasswordHasher().encode("gina-md5-pass", "ginasalt"), True, False, False, "2098-11-07 16:00:00", None),
    (8, "Alice", "other.alice@example.com", pbkdf2("another alice", 36000), True, False, False, "2098-12-08 17:00:00", None),
    (9, "henry", "henry@example.com", make_password("henry's password"), True, True, False, "2099-01-09 18:00:00", None),
    # Django's published test vector (tests/auth_tests/test_hashers.py, test_pbkdf2): "lètmein" with salt "seasalt".
    (12, "vector", "vector@example.com", "pbkdf2_sha256$600000$seasalt$OAXyhAQ/4ZDA9V5RMExt3C1OwQdUpLZ99vm1McFlLRA=", True, False, False, "2099-01-12 19:00:00", None),
]

# id, user_id, name, details, created, last_request_datetime
DEVICES = [
    (3, 1, "iPhone 12", "MyApp/2.1 CFNetwork/1220.1", "2099-02-20 08:00:00.123456", "2099-03-02 11:10:00.654321"),
    (4, 1, "Pixel 7", "okhttp/4.9.3", "2099-01-05 08:00:00", "2099-02-10 08:00:00"),
    (7, 2, "Nokia", "agent", "2099-02-01 10:00:00", "2099-03-02 11:00:00"),
    (8, 3, "curl/7.88.1", "", "2099-02-02 10:00:00", "2099-03-01 10:00:00"),
    (10, 5, "Erin's phone", "", "2099-02-03 10:00:00", "2099-03-01 10:00:00"),
    (11, 6, "Frank's tablet", "Firefox", "2099-02-04 10:00:00", "2099-03-01 10:00:00"),
    (15, 7, "Gina's phone", "", "2099-02-05 10:00:00", "2099-03-01 10:00:00"),
    (16, 8, "Other Alice's phone", "", "2099-02-06 10:00:00", "2099-03-01 10:00:00"),
    (21, 9, "Henry's laptop", "Safari", "2099-02-07 10:00:00", "2099-03-02 08:00:00"),
]

SQLITE_SCHEMA = """\
CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "first_name" varchar(150) NOT NULL);
CREATE TABLE "jwt_devices_device" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "permanent_token" varchar(255) NOT NULL UNIQUE, "jwt_secret" char(32) NOT NULL, "created" datetime NOT NULL, "name" varchar(255) NOT NULL, "details" varchar(255) NOT NULL, "last_request_datetime" datetime NOT NULL, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "jwt_devices_device_user_id_1b2c3d4e" ON "jwt_devices_device" ("user_id");
"""

POSTGRES_SCHEMA = """\
CREATE TABLE "auth_user" ("id" serial NOT NULL PRIMARY KEY, "password" varchar(128) NOT NULL, "last_login" timestamp with time zone NULL, "is_superuser" boolean NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "first_name" varchar(150) NOT NULL, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" boolean NOT NULL, "is_active" boolean NOT NULL, "date_joined" timestamp with time zone NOT NULL);
CREATE TABLE "jwt_devices_device" ("id" serial NOT NULL PRIMARY KEY, "permanent_token" varchar(255) NOT NULL UNIQUE, "jwt_secret" uuid NOT NULL, "created" timestamp with time zone NOT NULL, "name" varchar(255) NOT NULL, "details" varchar(255) NOT NULL, "last_request_datetime" timestamp with time zone NOT NULL, "user_id" integer NOT NULL);
ALTER TABLE "jwt_devices_device" ADD CONSTRAINT "jwt_devices_device_user_id_1b2c3d4e_fk_auth_user_id" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "jwt_devices_device_permanent_token_5e6f7a8b_like" ON "jwt_devices_device" ("permanent_token" varchar_pattern_ops);
CREATE INDEX "jwt_devices_device_user_id_1b2c3d4e" ON "jwt_devices_device" ("user_id");
"""


def quote(text):
    return "'" + text.replace("'", "''") + "'"


def write(path, schema, boolean, time, secret, tokens):
    with open(path, "w", encoding="utf-8") as out:
        out.write("-- A drf-jwt-devices database for the import tests, written by make_fixture.py; do not edit by hand.\n")
        out.write(schema)
        for (id, username, email, password, active, staff, superuser, joined, last_login) in USERS:
            out.write(
                'INSERT INTO "auth_user" ("id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email", "is_staff", "is_active", "date_joined") '
                f"VALUES ({id}, {quote(password)}, {time(last_login)}, {boolean(superuser)}, {quote(username)}, '', '', {quote(email)}, {boolean(staff)}, {boolean(active)}, {time(joined)});\n")
        for (id, user, name, details, created, last) in DEVICES:
            out.write(
                'INSERT INTO "jwt_devices_device" ("id", "permanent_token", "jwt_secret", "created", "name", "details", "last_request_datetime", "user_id") '
                f"VALUES ({id}, {quote(tokens[id])}, {quote(secret())}, {time(created)}, {quote(name)}, {quote(details)}, {time(last)}, {user});\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    # As drf-jwt-devices makes them: 20 random bytes in hex.
    tokens = {device[0]: binascii.hexlify(os.urandom(20)).decode() for device in DEVICES}
    write(os.path.join(here, "django-sqlite.sql"), SQLITE_SCHEMA,
          lambda flag: "1" if flag else "0",
          lambda text: "NULL" if text is None else quote(text),
          lambda: uuid.uuid4().hex, tokens)
    write(os.path.join(here, "django-postgres.sql"), POSTGRES_SCHEMA,
          lambda flag: "true" if flag else "false",
          lambda text: "NULL" if text is None else quote(text + "+00"),
          lambda: str(uuid.uuid4()), tokens)


main()
