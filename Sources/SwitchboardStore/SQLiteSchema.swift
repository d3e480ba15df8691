import Foundation
import GRDB

/// The SQLite schema, as named migrations: GRDB records the applied ones in `grdb_migrations`, so
/// an older file is brought up to date on open and a migration never runs twice. Add new
/// migrations at the end; never edit one that has shipped.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("journal and snapshots", migrate: createJournal)
        migrator.registerMigration("configuration records", migrate: createConfigurationRecords)
        migrator.registerMigration("session records", migrate: createSessionRecords)
        migrator.registerMigration("messages", migrate: createMessages)
        migrator.registerMigration("credentials", migrate: createCredentials)
        migrator.registerMigration("token revocations", migrate: createTokenRevocations)
        migrator.registerMigration("server starts", migrate: createServerStarts)
        migrator.registerMigration("phone records", migrate: addPhoneRecordColumns)
        migrator.registerMigration("login locks", migrate: createLoginLocks)
        migrator.registerMigration("journal rules version", migrate: addJournalRulesVersion)
        migrator.registerMigration("supervisor accounts", migrate: createSupervisorAccounts)
        migrator.registerMigration("api keys", migrate: createAPIKeys)
        migrator.registerMigration("spent tokens", migrate: createSpentTokens)
        migrator.registerMigration("webhooks", migrate: createWebhooks)
        migrator.registerMigration("canned replies", migrate: createCannedReplies)
        migrator.registerMigration("session wrap-up", migrate: addWrapUpColumns)
        migrator.registerMigration("report tables", migrate: createReportTables)
        migrator.registerMigration("chat attachments", migrate: createAttachments)
        migrator.registerMigration("report hour roll-ups", migrate: createReportHourRollUps)
        migrator.registerMigration("webhook pause", migrate: addWebhookPause)
        migrator.registerMigration("session hold time", migrate: addSessionHoldTime)
        migrator.registerMigration("session queued time", migrate: addSessionQueuedTime)
        migrator.registerMigration("journal origin", migrate: addJournalOrigin)
        migrator.registerMigration("message journal sequence", migrate: addMessageJournalSequence)
        return migrator
    }

    private static func createJournal(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE journal (
                sequence INTEGER PRIMARY KEY,
                time     INTEGER NOT NULL,
                command  TEXT NOT NULL
            );
            CREATE TABLE snapshots (
                sequence INTEGER PRIMARY KEY,
                taken_at INTEGER NOT NULL,
                state    TEXT NOT NULL
            );
            """)
    }

    private static func createConfigurationRecords(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE skill_groups (
                id                            TEXT PRIMARY KEY,
                name                          TEXT NOT NULL,
                strategy                      TEXT NOT NULL,
                offer_timeout_seconds         INTEGER NOT NULL,
                queue_timeout_seconds         INTEGER NOT NULL,
                overflow_group_id             TEXT,
                wrap_up_seconds               INTEGER NOT NULL,
                missed_offer_status           TEXT NOT NULL,
                im_inactivity_timeout_seconds INTEGER NOT NULL,
                created_at                    INTEGER NOT NULL,
                updated_at                    INTEGER NOT NULL
            );
            CREATE TABLE agents (
                id          TEXT PRIMARY KEY,
                name        TEXT NOT NULL,
                im_capacity INTEGER,
                created_at  INTEGER NOT NULL,
                updated_at  INTEGER NOT NULL
            );
            CREATE TABLE memberships (
                agent_id       TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
                skill_group_id TEXT NOT NULL,
                skill_level    INTEGER NOT NULL,
                PRIMARY KEY (agent_id, skill_group_id)
            );
            CREATE INDEX memberships_by_group ON memberships(skill_group_id, agent_id);
            """)
    }

    /// A telephone call's record also says which way it went and the keys its caller pressed.
    private static func addPhoneRecordColumns(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE sessions ADD COLUMN direction TEXT;
            ALTER TABLE sessions ADD COLUMN digits TEXT;
            """)
    }

    private static func createSessionRecords(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE sessions (
                id             TEXT PRIMARY KEY,
                type           TEXT NOT NULL,
                skill_group_id TEXT NOT NULL,
                priority       INTEGER NOT NULL,
                customer       TEXT NOT NULL,
                created_at     INTEGER NOT NULL,
                first_ring_at  INTEGER,
                accepted_at    INTEGER,
                ended_at       INTEGER,
                agent_id       TEXT,
                close_by       TEXT,
                main_reason    TEXT,
                sub_reason     TEXT,
                end_status     TEXT
            );
            CREATE INDEX sessions_by_creation ON sessions(created_at);
            CREATE INDEX sessions_live ON sessions(created_at) WHERE ended_at IS NULL;
            CREATE INDEX sessions_by_group ON sessions(skill_group_id, created_at);
            CREATE INDEX sessions_by_agent ON sessions(agent_id, created_at);
            CREATE TABLE session_history (
                id             INTEGER PRIMARY KEY AUTOINCREMENT,
                session_id     TEXT NOT NULL,
                sequence       INTEGER NOT NULL,
                at             INTEGER NOT NULL,
                kind           TEXT NOT NULL,
                agent_id       TEXT,
                skill_group_id TEXT,
                detail         TEXT NOT NULL
            );
            CREATE INDEX session_history_by_session ON session_history(session_id, id);
            CREATE INDEX session_history_by_agent ON session_history(agent_id, session_id) WHERE agent_id IS NOT NULL;
            CREATE TABLE agent_status_history (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                agent_id    TEXT NOT NULL,
                sequence    INTEGER NOT NULL,
                at          INTEGER NOT NULL,
                status      TEXT NOT NULL,
                rest_reason TEXT,
                cause       TEXT NOT NULL
            );
            CREATE INDEX agent_status_history_by_agent ON agent_status_history(agent_id, id);
            """)
    }

    private static func createMessages(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE messages (
                id                INTEGER PRIMARY KEY AUTOINCREMENT,
                session_id        TEXT NOT NULL,
                author            TEXT NOT NULL,
                agent_id          TEXT,
                text              TEXT NOT NULL,
                sent_at           INTEGER NOT NULL,
                client_message_id TEXT,
                UNIQUE (session_id, client_message_id)
            );
            CREATE INDEX messages_by_session ON messages(session_id, id);
            """)
    }

    private static func createCredentials(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE credentials (
                agent_id      TEXT PRIMARY KEY,
                password_hash TEXT NOT NULL
            );
            """)
    }

    /// One row per server start: its number keeps every process's agent event `seq` values above
    /// all that earlier processes gave out.
    private static func createServerStarts(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE server_starts (
                number     INTEGER PRIMARY KEY AUTOINCREMENT,
                started_at INTEGER NOT NULL
            );
            """)
    }

    /// Agents whose password logins are locked after too many failures, until an admin unlocks
    /// them; kept here so a restart does not unlock them.
    /// The routing rules each journal entry was decided by; NULL (rules 1) for older entries.
    private static func addJournalRulesVersion(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE journal ADD COLUMN rules INTEGER")
    }

    private static func createLoginLocks(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE login_locks (
                agent_id  TEXT PRIMARY KEY,
                locked_at INTEGER NOT NULL,
                failures  INTEGER NOT NULL
            );
            """)
    }

    /// Tokens issued before `not_before` (milliseconds) are refused: revocation without a list of
    /// every token, since tokens are not stored.
    private static func createTokenRevocations(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE token_revocations (
                agent_id   TEXT PRIMARY KEY,
                not_before INTEGER NOT NULL
            );
            """)
    }

    /// The people who sign in to the supervisor page. Their sign-in sessions are kept by the
    /// SHA-256 of the cookie's secret, so a copy of the database signs nobody in; they go with
    /// their account (cascade). Login locks are kept by id without a reference, because ids with
    /// no account are locked too (so they answer like real ones).
    private static func createSupervisorAccounts(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE supervisors (
                id            TEXT PRIMARY KEY,
                name          TEXT NOT NULL,
                role          TEXT NOT NULL,
                password_hash TEXT,
                created_at    INTEGER NOT NULL,
                updated_at    INTEGER NOT NULL
            );
            CREATE TABLE supervisor_sessions (
                token_hash    TEXT PRIMARY KEY,
                supervisor_id TEXT NOT NULL REFERENCES supervisors(id) ON DELETE CASCADE,
                created_at    INTEGER NOT NULL,
                last_used_at  INTEGER NOT NULL
            );
            CREATE INDEX supervisor_sessions_by_supervisor ON supervisor_sessions(supervisor_id);
            CREATE INDEX supervisor_sessions_by_last_use ON supervisor_sessions(last_used_at);
            CREATE INDEX supervisor_sessions_by_creation ON supervisor_sessions(created_at);
            CREATE TABLE supervisor_login_locks (
                supervisor_id TEXT PRIMARY KEY,
                locked_at     INTEGER NOT NULL,
                failures      INTEGER NOT NULL
            );
            """)
    }

    /// The TCCC server API's key pairs, each for one tenant (`sdk_app_id`). The SecretKey is
    /// sealed by the server with a key derived from its signing secret (not in this file), so a
    /// copy of the database alone signs no request.
    private static func createAPIKeys(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE api_keys (
                secret_id         TEXT PRIMARY KEY,
                sdk_app_id        INTEGER NOT NULL,
                sealed_secret_key TEXT NOT NULL,
                description       TEXT,
                created_at        INTEGER NOT NULL
            );
            CREATE INDEX api_keys_by_tenant ON api_keys(sdk_app_id, created_at);
            """)
    }
}

extension SQLiteSchema {
    /// `spent_tokens`: single-use login tokens already used, until they expire.
    static func createSpentTokens(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE spent_tokens (
                token_id   TEXT PRIMARY KEY,
                expires_at INTEGER NOT NULL,
                spent_at   INTEGER NOT NULL
            );
            CREATE INDEX spent_tokens_by_expiry ON spent_tokens(expires_at);
            """)
    }
}

extension SQLiteSchema {
    /// Webhook subscriptions (their signing secret sealed by the server, as API keys' are) and the
    /// outbox of deliveries, written in the same transaction as the change each event comes from;
    /// the rows stay as the delivery log until pruned. Partial indexes on pending rows find a
    /// key's head and the next due attempt without reading the delivered backlog.
    static func createWebhooks(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE webhook_subscriptions (
                id            TEXT PRIMARY KEY,
                url           TEXT NOT NULL,
                kinds         TEXT NOT NULL,
                sealed_secret TEXT NOT NULL,
                description   TEXT,
                created_at    INTEGER NOT NULL,
                updated_at    INTEGER NOT NULL
            );
            CREATE TABLE webhook_deliveries (
                id               INTEGER PRIMARY KEY AUTOINCREMENT,
                subscription_id  TEXT NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
                event_id         TEXT NOT NULL,
                kind             TEXT NOT NULL,
                ordering_key     TEXT NOT NULL,
                occurred_at      INTEGER NOT NULL,
                data             TEXT NOT NULL,
                status           TEXT NOT NULL,
                attempts         INTEGER NOT NULL,
                created_at       INTEGER NOT NULL,
                next_attempt_at  INTEGER,
                last_attempt_at  INTEGER,
                last_error       TEXT,
                last_status_code INTEGER,
                finished_at      INTEGER,
                redelivery_of    INTEGER
            );
            CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries(subscription_id, id);
            CREATE INDEX webhook_deliveries_pending_by_key ON webhook_deliveries(subscription_id, ordering_key, id) WHERE status = 'pending';
            CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE status = 'pending';
            CREATE INDEX webhook_deliveries_finished ON webhook_deliveries(finished_at) WHERE status <> 'pending';
            """)
    }

    /// `canned_replies`: texts inserted with a `/shortcut`, shared by a skill group or one
    /// agent's own (`scope` `skillGroup` or `agent`, `owner_id` its id); a shortcut is unique
    /// within its owner.
    static func createCannedReplies(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE canned_replies (
                id         TEXT PRIMARY KEY,
                scope      TEXT NOT NULL,
                owner_id   TEXT NOT NULL,
                shortcut   TEXT NOT NULL,
                title      TEXT NOT NULL,
                text       TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                UNIQUE (scope, owner_id, shortcut)
            );
            """)
    }
}

extension SQLiteSchema {
    /// The agent's wrap-up of a session, on its record: who, the disposition code, the note, when.
    static func addWrapUpColumns(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE sessions ADD COLUMN wrap_up_agent_id TEXT;
            ALTER TABLE sessions ADD COLUMN disposition_code TEXT;
            ALTER TABLE sessions ADD COLUMN wrap_up_note TEXT;
            ALTER TABLE sessions ADD COLUMN wrapped_up_at INTEGER;
            """)
    }
    /// The report aggregates (docs/reports.md): counters per 15-minute UTC interval and skill
    /// group, agent or session type; agents' status time per interval; each agent's open status
    /// period; and each session's running clocks. The counter columns are listed here as they
    /// shipped (`ReportSchema`).
    static func createReportTables(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE sessions ADD COLUMN report_clocks TEXT;
            CREATE TABLE report_intervals (
                bucket    INTEGER NOT NULL,
                dimension TEXT NOT NULL,
                subject   TEXT NOT NULL,
                \(ReportSchema.counterColumns.map { "\($0) INTEGER NOT NULL DEFAULT 0" }.joined(separator: ", "))
                , PRIMARY KEY (dimension, bucket, subject)
            );
            CREATE TABLE report_status_intervals (
                bucket       INTEGER NOT NULL,
                agent_id     TEXT NOT NULL,
                status       TEXT NOT NULL,
                rest_reason  TEXT NOT NULL,
                milliseconds INTEGER NOT NULL,
                PRIMARY KEY (bucket, agent_id, status, rest_reason)
            );
            CREATE TABLE report_agent_clocks (
                agent_id    TEXT PRIMARY KEY,
                status      TEXT NOT NULL,
                rest_reason TEXT,
                since       INTEGER NOT NULL,
                wrap_up     INTEGER NOT NULL,
                wrap_group  TEXT,
                wrap_type   TEXT
            );
            """)
    }

    /// Files sent in im sessions (``AttachmentStore``): the content in the store, so it is as
    /// durable as the message that names it and every node of a cluster can serve it; the message
    /// row points at it.
    static func createAttachments(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE attachments (
                id           TEXT PRIMARY KEY,
                session_id   TEXT NOT NULL,
                name         TEXT NOT NULL,
                content_type TEXT NOT NULL,
                size         INTEGER NOT NULL,
                content      BLOB NOT NULL,
                uploaded_at  INTEGER NOT NULL
            );
            CREATE INDEX attachments_by_session ON attachments(session_id);
            ALTER TABLE messages ADD COLUMN attachment_id TEXT;
            """)
    }

    /// The report aggregates rolled up per UTC hour (`ReportRollUp`), kept in the same
    /// transaction as the 15-minute ones, filled here from what a store has already.
    static func createReportHourRollUps(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE report_hour_intervals (
                bucket    INTEGER NOT NULL,
                dimension TEXT NOT NULL,
                subject   TEXT NOT NULL,
                \(ReportSchema.counterColumns.map { "\($0) INTEGER NOT NULL DEFAULT 0" }.joined(separator: ", "))
                , PRIMARY KEY (dimension, bucket, subject)
            );
            CREATE TABLE report_status_hours (
                bucket       INTEGER NOT NULL,
                agent_id     TEXT NOT NULL,
                status       TEXT NOT NULL,
                rest_reason  TEXT NOT NULL,
                milliseconds INTEGER NOT NULL,
                PRIMARY KEY (bucket, agent_id, status, rest_reason)
            );
            """)
        for statement in ReportSchema.hourRollUpFill(counters: "report_hour_intervals", status: "report_status_hours") {
            try db.execute(sql: statement)
        }
    }

    /// A paused webhook subscription keeps queueing its events but sends none (docs/webhooks.md).
    static func addWebhookPause(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE webhook_subscriptions ADD COLUMN paused INTEGER NOT NULL DEFAULT 0")
    }

    /// The record's time on hold, kept by the report projection as holds end (NULL for sessions
    /// recorded before it, until `reports rebuild`).
    static func addSessionHoldTime(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE sessions ADD COLUMN hold_milliseconds INTEGER")
    }

    /// When the session was first queued, apart from when it arrived (a call in an IVR flow
    /// arrives before it queues). NULL for sessions recorded before it was kept.
    static func addSessionQueuedTime(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE sessions ADD COLUMN queued_at INTEGER")
    }

    /// Which node's request a journal entry carried out: a follower forwards its clients'
    /// commands with an origin id, and after a failover finds here which of them were kept.
    static func addJournalOrigin(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE journal ADD COLUMN origin TEXT")
    }

    /// The journal entry a message was committed with (its session's `activity`), so a follower
    /// catching up from the journal delivers the message too.
    static func addMessageJournalSequence(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE messages ADD COLUMN journal_sequence INTEGER")
        try db.execute(sql: "CREATE INDEX messages_by_journal_sequence ON messages(journal_sequence) WHERE journal_sequence IS NOT NULL")
    }
}
