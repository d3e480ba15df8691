import Foundation
import GRDB
@testable import SwitchboardStore
import Testing

/// The commit's writes bind and step through SQLite's C API (`GRDBDatabase.execute(_:values:)`);
/// what they store must be what GRDB's own binding stored, and failures must still be errors.
@Suite("SQLite statements bound directly")
struct GRDBDatabaseTests {
    static func database() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, number INTEGER, text TEXT, bytes BLOB)")
        }
        return queue
    }

    @Test func everyKindOfValueIsStoredAsGRDBStoresItAndTextWhole() throws {
        let queue = try Self.database()
        let text = "a\u{0}b é 😀"
        try queue.write { db in
            let sql = "INSERT INTO t (id, number, text, bytes) VALUES (?, ?, ?, ?)"
            try GRDBDatabase(db: db).execute(sql, values: [.integer(1), .integer(Int64.min), .text(text), .bytes([0, 1, 255])])
            try GRDBDatabase(db: db).execute(sql, values: [.integer(2), .null, .text(""), .bytes([])])
            // The same statement, run again by GRDB's own binding, stores the same.
            try db.execute(sql: sql, arguments: [3, Int64.min, text, Data([0, 1, 255])])
            try db.execute(sql: sql, arguments: [4, nil, "", Data()])
        }
        try queue.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT number, hex(text) AS text, bytes, typeof(bytes) AS kind, length(CAST(text AS BLOB)) AS length FROM t ORDER BY id")
            #expect(rows[1] == rows[3])
            #expect(rows[0]["number"] == rows[2]["number"] as Int64?)
            #expect(rows[0]["bytes"] == rows[2]["bytes"] as Data?)
            // Every byte of the text, the NUL and what follows it included. (GRDB's own binding
            // stops at a NUL; nothing the store writes holds one, but nothing is cut if it did.)
            #expect(rows[0]["length"] == text.utf8.count)
            #expect(rows[2]["length"] == 1)
            #expect(rows[1]["kind"] == "blob")
            #expect(rows[1]["number"] == nil as Int64?)
        }
    }

    @Test func failuresAreErrorsAndTheStatementStaysUsable() throws {
        let queue = try Self.database()
        try queue.write { db in
            let sql = "INSERT INTO t (id, text) VALUES (?, ?)"
            try GRDBDatabase(db: db).execute(sql, values: [.integer(1), .text("first")])
            let duplicate = #expect(throws: DatabaseError.self) { try GRDBDatabase(db: db).execute(sql, values: [.integer(1), .text("again")]) }
            #expect(duplicate?.resultCode == .SQLITE_CONSTRAINT)
            #expect(duplicate?.message?.contains("UNIQUE") == true)
            let short = #expect(throws: DatabaseError.self) { try GRDBDatabase(db: db).execute(sql, values: [.integer(2)]) }
            #expect(short?.message?.contains("1 values for 2 parameters") == true)
            try GRDBDatabase(db: db).execute(sql, values: [.integer(2), .text("second")])
        }
        #expect(try queue.read { db in try String.fetchAll(db, sql: "SELECT text FROM t ORDER BY id") } == ["first", "second"])
    }
}
