-- 0001: the first schema of nomtrack. Never edit a migration after it lands;
-- add a new numbered file instead.

CREATE TABLE course (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    etoc_code   TEXT UNIQUE COLLATE NOCASE,          -- NULL when not known
    title       TEXT NOT NULL,
    area        TEXT NOT NULL,
    provider    TEXT NOT NULL DEFAULT '',
    days        INTEGER NOT NULL DEFAULT 0 CHECK (days >= 0),
    fee         REAL NOT NULL DEFAULT 0 CHECK (fee >= 0), -- tuition per seat, EUR
    min_english TEXT NOT NULL DEFAULT '',               -- STANAG 6001 profile, e.g. 3232
    min_rank    TEXT NOT NULL DEFAULT '',               -- NATO rank code, e.g. OF-2
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE offering (
    id            INTEGER PRIMARY KEY,
    course_id     INTEGER NOT NULL REFERENCES course(id) ON DELETE RESTRICT,
    start         TEXT NOT NULL CHECK (start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    end           TEXT NOT NULL DEFAULT '',
    location      TEXT NOT NULL DEFAULT '',
    seats         INTEGER CHECK (seats IS NULL OR seats >= 0), -- NULL: not announced yet
    deadline      TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cancelled')),
    cancel_reason TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (course_id, start)
);
CREATE INDEX offering_start ON offering(start);

CREATE TABLE person (
    id         INTEGER PRIMARY KEY,
    ref        TEXT UNIQUE,                 -- service or personnel number; NULL when not given
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL,               -- name folded for matching (case, space, punctuation)
    name_ar    TEXT NOT NULL DEFAULT '',
    ministry   TEXT NOT NULL,
    rank       TEXT NOT NULL DEFAULT '',
    rank_code  TEXT NOT NULL DEFAULT '',
    position   TEXT NOT NULL DEFAULT '',
    gender     TEXT NOT NULL DEFAULT '' CHECK (gender IN ('', 'F', 'M')),
    english    TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX person_name_key ON person(name_key, ministry);
CREATE INDEX person_ministry ON person(ministry);

CREATE TABLE nomination (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
    offering_id INTEGER NOT NULL REFERENCES offering(id) ON DELETE RESTRICT,
    role        TEXT NOT NULL CHECK (role IN ('principal', 'alternate')),
    status      TEXT NOT NULL CHECK (status IN ('nominated', 'approved', 'confirmed', 'attended',
                    'completed', 'declined', 'withdrawn', 'cancelled', 'no-show')),
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (person_id, offering_id)
);
CREATE INDEX nomination_offering ON nomination(offering_id, status);
CREATE INDEX nomination_status ON nomination(status);

-- Every change of a nomination's status, including its creation (from = '').
CREATE TABLE nomination_event (
    id            INTEGER PRIMARY KEY,
    nomination_id INTEGER NOT NULL REFERENCES nomination(id) ON DELETE CASCADE,
    at            TEXT NOT NULL,            -- RFC 3339, UTC
    actor         TEXT NOT NULL,
    from_status   TEXT NOT NULL DEFAULT '',
    to_status     TEXT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL,            -- 'cli' or 'import:FILE:ROW'
    correction    INTEGER NOT NULL DEFAULT 0 CHECK (correction IN (0, 1))
);
CREATE INDEX nomination_event_nomination ON nomination_event(nomination_id);

CREATE TABLE request (
    id         INTEGER PRIMARY KEY,
    ministry   TEXT NOT NULL,
    area       TEXT NOT NULL,
    year       INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
    seats      INTEGER NOT NULL CHECK (seats >= 0),
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX request_year ON request(year);

CREATE TABLE capacity (
    year       INTEGER PRIMARY KEY CHECK (year BETWEEN 1900 AND 2999),
    seats      INTEGER NOT NULL CHECK (seats >= 0),
    updated_at TEXT NOT NULL
);

-- Changes that are not status events but must be traceable (person merges,
-- offering cancellations, deletions).
CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT ''
);
