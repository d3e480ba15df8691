import Foundation

/// Where a PostgreSQL store lives, read from a URL as libpq writes it:
/// `postgres://user:password@host:port/database?sslmode=disable|prefer|require|verify-full`
/// (as libpq: prefer and require encrypt without checking the certificate, verify-full checks it
/// and the host name).
/// Anything else in it is refused by name, so a typo is not silently ignored.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable { case disable, prefer, require, verifyFull = "verify-full" }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    public init(host: String, port: Int = 5432, username: String, password: String? = nil, database: String, tls: TLSMode = .prefer) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
    }

    /// Parses `url`; the error says what is wrong with it.
    public init(url text: String) throws(PostgresURLError) {
        guard let url = URLComponents(string: text), let scheme = url.scheme else {
            throw PostgresURLError("'\(Self.redacted(text))' is not a URL; expected postgres://user:password@host:port/database")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw PostgresURLError("the database URL's scheme is '\(scheme)'; expected postgres:// or postgresql://")
        }
        guard let host = url.host, !host.isEmpty else { throw PostgresURLError("the database URL names no host") }
        guard let user = url.user, !user.isEmpty else { throw PostgresURLError("the database URL names no user (postgres://USER@host/database)") }
        let database = String(url.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresURLError("the database URL names no database (postgres://user@host/DATABASE)")
        }
        var tls = TLSMode.prefer
        for item in url.queryItems ?? [] {
            guard item.name == "sslmode" else {
                throw PostgresURLError("the database URL's parameter '\(item.name)' is not understood; the only one is sslmode")
            }
            guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                throw PostgresURLError("sslmode '\(item.value ?? "")' is not understood; use disable, prefer, require or verify-full")
            }
            tls = mode
        }
        self.init(host: host, port: url.port ?? 5432, username: user, password: url.password, database: database, tls: tls)
    }

    /// The URL without its password, for logs and errors.
    public var description: String { "postgres://\(username)@\(host):\(port)/\(database)?sslmode=\(tls.rawValue)" }

    static func redacted(_ text: String) -> String {
        text.replacingOccurrences(of: #"://([^:@/]*):[^@/]*@"#, with: "://$1:***@", options: .regularExpression)
    }
}

/// A database URL that cannot be used, and why.
public struct PostgresURLError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
