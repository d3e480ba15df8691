import SwitchboardStore

/// The PostgreSQL schema: the same tables and columns as SQLite's (SQLiteSchema.swift), with
/// PostgreSQL's types (BIGINT for every integer, identity columns where SQLite counts rows for
/// itself) and an explicit `sessions.insertion` where SQLite has its rowid. Migrations are named
/// and recorded in `schema_migrations`, taken under an advisory transaction lock so that several
/// nodes starting at once migrate once. Add new migrations at the end; never edit a shipped one.
enum PostgresSchema {
    /// Any number the nodes agree on: the lock `pg_advisory_xact_lock` takes for migrating.
    static let migrationLock: Int64 = 0x5357_4244_5343_4845  // "SWBDSCHE"

    static let migrations: [(name: String, sql: [String])] = [
        ("initial schema", [
            """
            CREATE TABLE journal (
                sequence BIGINT PRIMARY KEY,
                time     BIGINT NOT NULL,
                command  TEXT NOT NULL,
                rules    BIGINT
            )
            """,
            "CREATE TABLE snapshots (sequence BIGINT PRIMARY KEY, taken_at BIGINT NOT NULL, state TEXT NOT NULL)",
            """
            CREATE TABLE skill_groups (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, strategy TEXT NOT NULL,
                offer_timeout_seconds BIGINT NOT NULL, queue_timeout_seconds BIGINT NOT NULL, overflow_group_id TEXT,
                wrap_up_seconds BIGINT NOT NULL, missed_offer_status TEXT NOT NULL, im_inactivity_timeout_seconds BIGINT NOT NULL,
                created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
            )
            """,
            "CREATE TABLE agents (id TEXT PRIMARY KEY, name TEXT NOT NULL, im_capacity BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
            """
            CREATE TABLE memberships (
                agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
                skill_group_id TEXT NOT NULL,
                skill_level BIGINT NOT NULL,
                PRIMARY KEY (agent_id, skill_group_id)
            )
            """,
            "CREATE INDEX memberships_by_group ON memberships(skill_group_id, agent_id)",
            """
            CREATE TABLE sessions (
                id TEXT PRIMARY KEY,
                insertion BIGINT GENERATED ALWAYS AS IDENTITY,
                type TEXT NOT NULL, skill_group_id TEXT NOT NULL, priority BIGINT NOT NULL, customer TEXT NOT NULL,
                created_at BIGINT NOT NULL, first_ring_at BIGINT, accepted_at BIGINT, ended_at BIGINT,
                agent_id TEXT, close_by TEXT, main_reason TEXT, sub_reason TEXT, end_status TEXT,
                direction TEXT, digits TEXT
            )
            """,
            "CREATE INDEX sessions_by_creation ON sessions(created_at, insertion)",
            "CREATE INDEX sessions_live ON sessions(created_at) WHERE ended_at IS NULL",
            "CREATE INDEX sessions_by_group ON sessions(skill_group_id, created_at)",
            "CREATE INDEX sessions_by_agent ON sessions(agent_id, created_at)",
            """
            CREATE TABLE session_history (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                session_id TEXT NOT NULL, sequence BIGINT NOT NULL, at BIGINT NOT NULL, kind TEXT NOT NULL,
                agent_id TEXT, skill_group_id TEXT, detail TEXT NOT NULL
            )
            """,
            "CREATE INDEX session_history_by_session ON session_history(session_id, id)",
            "CREATE INDEX session_history_by_agent ON session_history(agent_id, session_id) WHERE agent_id IS NOT NULL",
            """
            CREATE TABLE agent_status_history (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                agent_id TEXT NOT NULL, sequence BIGINT NOT NULL, at BIGINT NOT NULL,
                status TEXT NOT NULL, rest_reason TEXT, cause TEXT NOT NULL
            )
            """,
            "CREATE INDEX agent_status_history_by_agent ON agent_status_history(agent_id, id)",
            """
            CREATE TABLE messages (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                session_id TEXT NOT NULL, author TEXT NOT NULL, agent_id TEXT, text TEXT NOT NULL,
                sent_at BIGINT NOT NULL, client_message_id TEXT,
                UNIQUE (session_id, client_message_id)
            )
            """,
            "CREATE INDEX messages_by_session ON messages(session_id, id)",
            "CREATE TABLE credentials (agent_id TEXT PRIMARY KEY, password_hash TEXT NOT NULL)",
            "CREATE TABLE token_revocations (agent_id TEXT PRIMARY KEY, not_before BIGINT NOT NULL)",
            "CREATE TABLE server_starts (number BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, started_at BIGINT NOT NULL)",
            "CREATE TABLE login_locks (agent_id TEXT PRIMARY KEY, locked_at BIGINT NOT NULL, failures BIGINT NOT NULL)",
            """
            CREATE TABLE supervisors (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, password_hash TEXT,
                created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE supervisor_sessions (
                token_hash TEXT PRIMARY KEY,
                supervisor_id TEXT NOT NULL REFERENCES supervisors(id) ON DELETE CASCADE,
                created_at BIGINT NOT NULL, last_used_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX supervisor_sessions_by_supervisor ON supervisor_sessions(supervisor_id)",
            "CREATE INDEX supervisor_sessions_by_last_use ON supervisor_sessions(last_used_at)",
            "CREATE INDEX supervisor_sessions_by_creation ON supervisor_sessions(created_at)",
            "CREATE TABLE supervisor_login_locks (supervisor_id TEXT PRIMARY KEY, locked_at BIGINT NOT NULL, failures BIGINT NOT NULL)",
            """
            CREATE TABLE api_keys (
                secret_id TEXT PRIMARY KEY, sdk_app_id BIGINT NOT NULL, sealed_secret_key TEXT NOT NULL,
                description TEXT, created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX api_keys_by_tenant ON api_keys(sdk_app_id, created_at)",
        ]),
        ("spent tokens", [
            "CREATE TABLE spent_tokens (token_id TEXT PRIMARY KEY, expires_at BIGINT NOT NULL, spent_at BIGINT NOT NULL)",
            "CREATE INDEX spent_tokens_by_expiry ON spent_tokens(expires_at)",
        ]),
        // Several nodes on one database: the routing lease (one row; times are milliseconds by
        // the database's clock) and the secrets every node must share, created once.
        ("cluster lease", [
            """
            CREATE TABLE cluster_lease (
                id BIGINT PRIMARY KEY CHECK (id = 1), epoch BIGINT NOT NULL, holder TEXT, address TEXT,
                acquired_at BIGINT, expires_at BIGINT NOT NULL, last_sequence BIGINT NOT NULL
            )
            """,
            "INSERT INTO cluster_lease (id, epoch, expires_at, last_sequence) VALUES (1, 0, 0, 0)",
            "CREATE TABLE shared_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL, created_at BIGINT NOT NULL)",
        ]),
        ("webhooks", [
            """
            CREATE TABLE webhook_subscriptions (
                id TEXT PRIMARY KEY, url TEXT NOT NULL, kinds TEXT NOT NULL, sealed_secret TEXT NOT NULL, description TEXT,
                created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE webhook_deliveries (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
                event_id TEXT NOT NULL, kind TEXT NOT NULL, ordering_key TEXT NOT NULL, occurred_at BIGINT NOT NULL, data TEXT NOT NULL,
                status TEXT NOT NULL, attempts BIGINT NOT NULL, created_at BIGINT NOT NULL, next_attempt_at BIGINT,
                last_attempt_at BIGINT, last_error TEXT, last_status_code BIGINT, finished_at BIGINT, redelivery_of BIGINT
            )
            """,
            "CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries(subscription_id, id)",
            "CREATE INDEX webhook_deliveries_pending_by_key ON webhook_deliveries(subscription_id, ordering_key, id) WHERE status = 'pending'",
            "CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE status = 'pending'",
            "CREATE INDEX webhook_deliveries_finished ON webhook_deliveries(finished_at) WHERE status <> 'pending'",
        ]),
        ("canned replies", [
            """
            CREATE TABLE canned_replies (
                id TEXT PRIMARY KEY, scope TEXT NOT NULL, owner_id TEXT NOT NULL, shortcut TEXT NOT NULL,
                title TEXT NOT NULL, text TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
                UNIQUE (scope, owner_id, shortcut)
            )
            """,
        ]),
        ("session wrap-up", [
            "ALTER TABLE sessions ADD COLUMN wrap_up_agent_id TEXT",
            "ALTER TABLE sessions ADD COLUMN disposition_code TEXT",
            "ALTER TABLE sessions ADD COLUMN wrap_up_note TEXT",
            "ALTER TABLE sessions ADD COLUMN wrapped_up_at BIGINT",
        ]),
        // The report aggregates (docs/reports.md, SQLiteSchema.createReportTables).
        ("report tables", [
            "ALTER TABLE sessions ADD COLUMN report_clocks TEXT",
            """
            CREATE TABLE report_intervals (
                bucket BIGINT NOT NULL, dimension TEXT NOT NULL, subject TEXT NOT NULL,
                \(ReportSchema.counterColumns.map { "\($0) BIGINT NOT NULL DEFAULT 0" }.joined(separator: ", ")),
                PRIMARY KEY (dimension, bucket, subject)
            )
            """,
            """
            CREATE TABLE report_status_intervals (
                bucket BIGINT NOT NULL, agent_id TEXT NOT NULL, status TEXT NOT NULL, rest_reason TEXT NOT NULL,
                milliseconds BIGINT NOT NULL, PRIMARY KEY (bucket, agent_id, status, rest_reason)
            )
            """,
            """
            CREATE TABLE report_agent_clocks (
                agent_id TEXT PRIMARY KEY, status TEXT NOT NULL, rest_reason TEXT, since BIGINT NOT NULL,
                wrap_up BIGINT NOT NULL, wrap_group TEXT, wrap_type TEXT
            )
            """,
        ]),
        // Files sent in im sessions (SQLiteSchema.createAttachments).
        ("chat attachments", [
            """
            CREATE TABLE attachments (
                id TEXT PRIMARY KEY, session_id TEXT NOT NULL, name TEXT NOT NULL, content_type TEXT NOT NULL,
                size BIGINT NOT NULL, content BYTEA NOT NULL, uploaded_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX attachments_by_session ON attachments(session_id)",
            "ALTER TABLE messages ADD COLUMN attachment_id TEXT",
        ]),
        // The aggregates rolled up per UTC hour (SQLiteSchema.createReportHourRollUps).
        ("report hour roll-ups", [
            """
            CREATE TABLE report_hour_intervals (
                bucket BIGINT NOT NULL, dimension TEXT NOT NULL, subject TEXT NOT NULL,
                \(ReportSchema.counterColumns.map { "\($0) BIGINT NOT NULL DEFAULT 0" }.joined(separator: ", ")),
                PRIMARY KEY (dimension, bucket, subject)
            )
            """,
            """
            CREATE TABLE report_status_hours (
                bucket BIGINT NOT NULL, agent_id TEXT NOT NULL, status TEXT NOT NULL, rest_reason TEXT NOT NULL,
                milliseconds BIGINT NOT NULL, PRIMARY KEY (bucket, agent_id, status, rest_reason)
            )
            """,
        ] + ReportSchema.hourRollUpFill(counters: "report_hour_intervals", status: "report_status_hours")),
        // A paused webhook subscription keeps queueing its events but sends none.
        ("webhook pause", ["ALTER TABLE webhook_subscriptions ADD COLUMN paused BIGINT NOT NULL DEFAULT 0"]),
        ("session hold time", ["ALTER TABLE sessions ADD COLUMN hold_milliseconds BIGINT"]),
        // When the session was first queued, apart from when it arrived (IVR flows).
        ("session queued time", ["ALTER TABLE sessions ADD COLUMN queued_at BIGINT"]),
        // Which node's request a journal entry carried out (followers forward commands).
        ("journal origin", ["ALTER TABLE journal ADD COLUMN origin TEXT"]),
        // The journal entry a message was committed with, so a follower catching up delivers it.
        ("message journal sequence", [
            "ALTER TABLE messages ADD COLUMN journal_sequence BIGINT",
            "CREATE INDEX messages_by_journal_sequence ON messages(journal_sequence) WHERE journal_sequence IS NOT NULL",
        ]),
    ]

    /// Applies the migrations not yet recorded, in order, inside the caller's transaction.
    static func migrate(_ db: any SQLDatabase) throws {
        try db.execute("SELECT pg_advisory_xact_lock(?)", [migrationLock])
        try db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())", [])
        let applied = Set(try db.rows("SELECT name FROM schema_migrations", []).compactMap { $0.columns["name"]?.description })
        for migration in migrations where !applied.contains(migration.name) {
            for statement in migration.sql { try db.execute(statement, []) }
            try db.execute("INSERT INTO schema_migrations (name) VALUES (?)", [migration.name])
        }
    }
}
