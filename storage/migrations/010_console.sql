-- The web console: users sign in with an email and a password; sessions and one-time password links live here.
alter table users add column email text;
-- "pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>": the format names its parameters so they can be raised later.
alter table users add column password_hash text;
create unique index users_email_unique on users (lower(email)) where email is not null;

-- Only the SHA-256 of a session id is stored: a database dump does not sign anyone in.
create table console_sessions (
  id_hash bytea primary key,
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null,
  last_seen_at timestamptz not null
);
create index console_sessions_user on console_sessions (user_id);

-- One-time links to choose a password (the built-in admin's setup link, and new users' links); hashed like sessions.
create table password_links (
  code_hash bytea primary key,
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index password_links_user on password_links (user_id);
