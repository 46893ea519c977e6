-- nmt-bodymap on a clinic's PostgreSQL server: the database and its two roles.
--
-- Run once, as a superuser, on the server (PostgreSQL 13 or newer):
--
--     sudo -u postgres psql -v ON_ERROR_STOP=1 -f roles.sql
--
-- Names can be changed with -v db=... -v migrator=... -v app=... (defaults below).
-- The script can be run again: it creates only what is missing, and grants the
-- application role its rights on tables that exist by then.
--
-- Two roles, so that the app that therapists use every day cannot change or drop
-- the schema that holds the records:
--
--   * the migration role (default nmt_migrator) owns the database and its tables;
--     it creates and upgrades the schema: `nmt-bodymap migrate --to URL` as this role,
--     once after installing and after each update of nmt-bodymap. Also used for
--     `nmt-bodymap migrate --from FILE --to URL` (moving a solo practice in).
--   * the application role (default nmt_app) is what every therapist's app uses:
--     it may read and write rows (SELECT, INSERT, UPDATE, DELETE on the tables,
--     USAGE on their id sequences) and nothing else: no superuser, no CREATE on
--     the database or its schema, no DDL, no TRUNCATE, not the owner of anything.
--
-- Neither role gets a password here (it would end up in shell histories and logs).
-- Set them interactively afterwards:
--
--     sudo -u postgres psql -c '\password nmt_migrator'
--     sudo -u postgres psql -c '\password nmt_app'
--
-- and let only these roles in, over TLS, from the clinic's network (pg_hba.conf):
--
--     hostssl  nmt_practice  nmt_app,nmt_migrator  192.168.1.0/24  scram-sha-256

\if :{?db}
\else
  \set db nmt_practice
\endif
\if :{?migrator}
\else
  \set migrator nmt_migrator
\endif
\if :{?app}
\else
  \set app nmt_app
\endif

-- The roles: able to log in, nothing more.
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', :'migrator')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'migrator') \gexec
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', :'app')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \gexec

-- The database, owned by the migration role, in UTF-8.
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'db', :'migrator', 'UTF8')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec

-- Nobody else may connect; the application role may connect, but not create temporary tables.
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"app";

\connect :"db"

-- Only the migration role creates objects in the schema (PostgreSQL before 15 let everyone).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO :"migrator";
GRANT USAGE ON SCHEMA public TO :"app";

-- The client search's trigram index needs pg_trgm (shipped with PostgreSQL; made here by the superuser).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Rows only, on every table the migration role creates now or later ...
ALTER DEFAULT PRIVILEGES FOR ROLE :"migrator" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"migrator" IN SCHEMA public
    GRANT USAGE ON SEQUENCES TO :"app";
-- ... and on those that already exist (when the script is run again after a migration).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO :"app";
