/// Writes many rows of one table with as few statements as the backend wants: a commit writes
/// each table set-wise, once, instead of one statement per journal entry.
///
/// PostgreSQL runs every statement as a round trip over the network, so rows go in multi-row
/// statements (one per table per commit, unless a commit is so large that a statement would pass
/// the parameter limit). SQLite runs statements in-process and keeps each compiled: there one
/// row per statement keeps a single cached statement per table, where multi-row texts of every
/// length would each be compiled and cached.
///
/// The rows of one call must not touch the same table row twice (PostgreSQL refuses an
/// `ON CONFLICT DO UPDATE` or an `UPDATE ... FROM` that meets one row twice); callers fold a
/// commit's changes per row first (``SQLSessionChanges``).
struct SQLRowSet {
    let db: any SQLDatabase

    /// At most this many parameters per statement: below PostgreSQL's 65,535 and SQLite's 32,766.
    private static let parametersPerStatement = 30_000

    private func rowsPerStatement(width: Int) -> Int {
        switch db.dialect {
        case .sqlite: 1
        case .postgres: max(1, Self.parametersPerStatement / max(1, width))
        }
    }

    /// `INSERT INTO table (columns) VALUES (...), (...) <suffix>`; `suffix` is an `ON CONFLICT`
    /// clause or empty. Rows go in the order given (identity columns number them in that order).
    func insert(into table: String, _ columns: [String], _ rows: [[SQLValue]], _ suffix: String = "") throws {
        try inChunks(rows, width: columns.count) { placeholders in
            "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(placeholders) \(suffix)"
        }
    }

    /// `WITH p(columns) AS (VALUES ...) UPDATE table SET <assignments> FROM p WHERE <match>`:
    /// an update whose values differ per row. `types` gives each column's SQL type: PostgreSQL
    /// cannot infer the type of a parameter in a `VALUES` list that is not an insert's (a NULL
    /// in every row would be text), so the first row casts each one.
    func update(_ table: String, values columns: [(name: String, type: String)], _ rows: [[SQLValue]], set assignments: String, where match: String) throws {
        try inChunks(rows, width: columns.count, firstRow: "(\(columns.map { "CAST(? AS \($0.type))" }.joined(separator: ", ")))") { placeholders in
            """
            WITH p (\(columns.map(\.name).joined(separator: ", "))) AS (VALUES \(placeholders))
            UPDATE \(table) SET \(assignments) FROM p WHERE \(match)
            """
        }
    }

    /// The rows of `table` whose `column` is one of `keys`, in one statement per chunk.
    func select(_ columns: String, from table: String, where column: String, in keys: [String]) throws -> [SQLRow] {
        var found: [SQLRow] = []
        var start = 0
        // A read has no reason to go row by row on either backend: IN lists are cheap to compile.
        while start < keys.count {
            let chunk = keys[start..<min(keys.count, start + Self.parametersPerStatement)]
            found += try db.rows(
                "SELECT \(columns) FROM \(table) WHERE \(column) IN (\(chunk.map { _ in "?" }.joined(separator: ", ")))",
                chunk.map(SQLValue.text))
            start += chunk.count
        }
        return found
    }

    /// Runs the statement `sql` makes from a chunk's placeholders once per chunk of rows. The text
    /// is made once per chunk size, not per chunk: on SQLite every row is a chunk of one, and the
    /// same text was built again (the columns joined again) for every row of every commit
    /// (docs/benchmarks.md, "Issue 19, third round").
    private func inChunks(_ rows: [[SQLValue]], width: Int, firstRow: String? = nil, _ sql: (String) -> String) throws {
        let plain = "(\(Array(repeating: "?", count: width).joined(separator: ", ")))"
        let size = rowsPerStatement(width: width)
        var text: (rows: Int, sql: String)?
        var values: [SQLValue] = []
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + size)]
            if text?.rows != chunk.count {
                let placeholders = ([firstRow ?? plain] + Array(repeating: plain, count: chunk.count - 1)).joined(separator: ", ")
                text = (chunk.count, sql(placeholders))
            }
            values.removeAll(keepingCapacity: true)
            for row in chunk { values.append(contentsOf: row) }
            try db.execute(text!.sql, values: values)
            start += chunk.count
        }
    }
}
