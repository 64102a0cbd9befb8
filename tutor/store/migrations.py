"""Numbered schema migrations; `PRAGMA user_version` records how many have run."""

MIGRATIONS: tuple[str, ...] = (
    # 1: the review log, the state derived from it, attempts and drafts.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta (key, value) VALUES ('app', 'tutor');
    CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        item_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        deck TEXT NOT NULL,
        reviewed_at TEXT NOT NULL,
        day INTEGER NOT NULL,
        rating INTEGER CHECK (rating BETWEEN 1 AND 4),
        duration_ms INTEGER,
        scheduler TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}',
        undoes INTEGER UNIQUE REFERENCES reviews (id),
        CHECK ((rating IS NULL) <> (undoes IS NULL))
    );
    CREATE INDEX reviews_item ON reviews (item_id, id);
    CREATE INDEX reviews_day ON reviews (day);
    CREATE TABLE item_state (
        item_id TEXT PRIMARY KEY,
        deck TEXT NOT NULL,
        kind TEXT NOT NULL,
        scheduler TEXT NOT NULL,
        due_day INTEGER NOT NULL,
        first_day INTEGER NOT NULL,
        reps INTEGER NOT NULL,
        lapses INTEGER NOT NULL,
        state TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX item_state_due ON item_state (due_day);
    CREATE INDEX item_state_deck ON item_state (deck, first_day);
    CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        item_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        at TEXT NOT NULL,
        status TEXT NOT NULL,
        result TEXT NOT NULL
    );
    CREATE INDEX attempts_item ON attempts (item_id, id);
    CREATE TABLE drafts (
        item_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    # 2: a catalog of the content, so `tutor due` can skip parsing YAML when nothing changed.
    """
    CREATE TABLE catalog_items (
        id TEXT PRIMARY KEY,
        deck TEXT NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        plan_day INTEGER NOT NULL,
        planned INTEGER NOT NULL,
        position INTEGER NOT NULL
    );
    CREATE INDEX catalog_items_deck ON catalog_items (deck, plan_day, position);
    CREATE TABLE catalog_decks (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        ladder TEXT NOT NULL,
        plan TEXT NOT NULL,
        position INTEGER NOT NULL
    );
    """,
    # 3: identities that survive a backup and restore, so restoring never duplicates history.
    # A row made here is known everywhere as "<instance>:<id>"; a restored row keeps the
    # identity it was exported with in `origin` (unique), so a second restore finds it.
    """
    INSERT INTO meta (key, value) VALUES ('instance', lower(hex(randomblob(16)))) ON CONFLICT (key) DO NOTHING;
    ALTER TABLE reviews ADD COLUMN origin TEXT;
    CREATE UNIQUE INDEX reviews_origin ON reviews (origin);
    ALTER TABLE attempts ADD COLUMN origin TEXT;
    CREATE UNIQUE INDEX attempts_origin ON attempts (origin);
    """,
    # 4: which catalog items were ever studied, kept by triggers, so finding today's new items
    # reads an index instead of probing item_state once per item (100,000 probes in a big deck).
    """
    ALTER TABLE catalog_items ADD COLUMN studied INTEGER NOT NULL DEFAULT 0;
    UPDATE catalog_items SET studied = 1 WHERE id IN (SELECT item_id FROM item_state);
    CREATE INDEX catalog_items_new ON catalog_items (deck, studied, planned, plan_day, position);
    CREATE TRIGGER item_state_studied AFTER INSERT ON item_state BEGIN
        UPDATE catalog_items SET studied = 1 WHERE id = NEW.item_id;
    END;
    CREATE TRIGGER item_state_unstudied AFTER DELETE ON item_state BEGIN
        UPDATE catalog_items SET studied = 0 WHERE id = OLD.item_id;
    END;
    """,
    # 5: FSRS parameters fitted to the learner's log (`tutor optimize`), one row per run that
    # changed them, never updated: the latest row of a deck (NULL: every deck) is in use, and
    # a row without parameters (`--reset`) means the defaults.
    """
    CREATE TABLE fsrs_parameters (
        id INTEGER PRIMARY KEY,
        deck TEXT,
        parameters TEXT,
        fitted_at TEXT NOT NULL,
        reviews INTEGER NOT NULL,
        evaluation TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX fsrs_parameters_deck ON fsrs_parameters (deck, id);
    """,
    # 6: what an item cost the learner on one study day (failed checks, hints, giving up) and
    # when it was first opened, so leaving the screen or restarting never wipes a penalty.
    """
    CREATE TABLE item_days (
        item_id TEXT NOT NULL,
        day INTEGER NOT NULL,
        failed_checks INTEGER NOT NULL DEFAULT 0,
        hints INTEGER NOT NULL DEFAULT 0,
        gave_up INTEGER NOT NULL DEFAULT 0,
        started_at TEXT NOT NULL,
        PRIMARY KEY (item_id, day)
    ) WITHOUT ROWID;
    """,
    # 7: the sections of each deck's lessons, kept with the catalog (so the dashboard counts
    # a checkpoint's reading without parsing Markdown), and the sections the learner has read
    # (the first reading is kept). The cleared fingerprint makes the next start fill the catalog.
    """
    CREATE TABLE catalog_lessons (
        deck TEXT NOT NULL,
        id TEXT NOT NULL,
        title TEXT NOT NULL,
        day INTEGER NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (deck, id)
    ) WITHOUT ROWID;
    CREATE TABLE lesson_reads (
        deck TEXT NOT NULL,
        section TEXT NOT NULL,
        first_read_at TEXT NOT NULL,
        day INTEGER NOT NULL,
        PRIMARY KEY (deck, section)
    ) WITHOUT ROWID;
    DELETE FROM meta WHERE key = 'catalog_fingerprint';
    """,
    # 8: every named mistake the checks found (a drill's diagnosis, a derivation's known wrong
    # line, a typed answer's miss), one row each, with the attempt that made it, so the learner
    # sees the mistakes they keep making and an item whose mistake recurs comes back sooner.
    """
    CREATE TABLE mistakes (
        id INTEGER PRIMARY KEY,
        item_id TEXT NOT NULL,
        mistake TEXT NOT NULL,
        attempt INTEGER REFERENCES attempts (id),
        at TEXT NOT NULL
    );
    CREATE INDEX mistakes_item ON mistakes (item_id, attempt);
    CREATE INDEX mistakes_name ON mistakes (mistake, item_id);
    """,
    # 9: when the running attempt at a timed problem started (NULL: none runs), so its clock
    # keeps running across leaving and restarts, and an attempt after an answer starts afresh.
    """
    ALTER TABLE item_days ADD COLUMN clock_started_at TEXT;
    """,
    # 10: each deletion of a multi-deletion cloze card is its own item (`CARD/cN`). A card's
    # reviews are copied to each sibling once (`Store._carry_over`, when the catalog is next
    # filled: the cleared fingerprint makes that the next start); a copy names the review it
    # came from: undo takes the copies back with their review, never one on its own.
    """
    ALTER TABLE reviews ADD COLUMN carried_from INTEGER REFERENCES reviews (id);
    """,
    # 11: each item's own time (`target_min` of problems, drills and derivations; NULL for cards),
    # so today's queue is planned to fit the daily budget without parsing YAML
    # (tutor.study.budget), and an index of timed answers for the learner's own pace. The cleared
    # fingerprint makes the next start fill the catalog in.
    """
    ALTER TABLE catalog_items ADD COLUMN target_min REAL;
    CREATE INDEX reviews_timed ON reviews (kind, id) WHERE duration_ms IS NOT NULL;
    DELETE FROM meta WHERE key = 'catalog_fingerprint';
    """,
    # 12: ids a deck has merged into another (an item's `replaces:`), so the reviews logged under
    # the old id count for the new one. The log keeps the ids it was written with; readers map
    # them. The cleared fingerprint makes the next start read the content and fill the table.
    """
    CREATE TABLE item_renames (
        old_id TEXT PRIMARY KEY,
        new_id TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX item_renames_new ON item_renames (new_id);
    DELETE FROM meta WHERE key = 'catalog_fingerprint';
    """,
    # 13: a typed card's answer key (number or text, `tutor.study.answers.AnswerKey` as JSON), so
    # `tutor answer` checks such a card without parsing YAML. The cleared fingerprint makes the
    # next start fill it in.
    """
    ALTER TABLE catalog_items ADD COLUMN answer TEXT;
    DELETE FROM meta WHERE key = 'catalog_fingerprint';
    """,
    # 14: the copies a review carried over to cloze siblings, found by an index: undo looks them
    # up for every review it cancels, and without it read the whole log (100,000 rows, 10 ms).
    """
    CREATE INDEX reviews_carried ON reviews (carried_from) WHERE carried_from IS NOT NULL;
    """,
    # 15: items by the day they were first studied: today's cap on new items outside a plan
    # counts them for every queue, and without it scanned every item's state (100,000: 14 ms).
    """
    CREATE INDEX item_state_first ON item_state (first_day);
    """,
    # 16: each item's last review day as a column (a day number, as due_day): today's queue
    # orders the due items by how overdue they are for their interval, and reading it out of
    # the state's JSON was half the cost of that query (9,000 due items: 28 of 50 ms). NULL
    # only where a state's JSON was unreadable (`tutor doctor --rebuild` writes it again).
    """
    ALTER TABLE item_state ADD COLUMN last_day INTEGER;
    UPDATE item_state SET last_day = CAST(julianday(json_extract(state, '$.last_day')) - 1721424.5 AS INTEGER)
        WHERE json_valid(state);
    """,
    # 17: the due-day index carries the last review day too, so today's queue reads both from
    # the index alone instead of looking up each due item's row (9,000 due items: 51 -> 26 ms).
    """
    DROP INDEX item_state_due;
    CREATE INDEX item_state_due ON item_state (due_day, last_day);
    """,
)

LATEST = len(MIGRATIONS)
