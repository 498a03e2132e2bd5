import Foundation
import GRDB

/// The one SQLite file that holds everything: accounts, search index, links, import history and the journal.
///
/// In WAL mode (but for the transaction of a first import on the command line, which writes its pages once with a
/// rollback journal: `Importer.writesPagesOnce`). The service opens it as a GRDB `DatabasePool` (libmicrohttpd's
/// threads read in parallel while one writer commits); one-shot commands open a single-connection `DatabaseQueue`,
/// because a pool creates and drops a table on open when no WAL file exists (GRDB issue 102) — and a refused import
/// must leave the file byte for byte as it was. `synchronous = FULL` makes every commit durable before the caller answers (a journal row is never lost
/// once an action was reported done); foreign keys are enforced. A writer waits for another process's write
/// transaction up to `busyTimeout`: 30 s in the service, whose every request journals a row while `guichet import`
/// holds the write lock for its whole transaction (12 s for 100,000 accounts in a debug build on a loaded 2-core
/// machine, measured by Scripts/load-test); 5 s on the command line. Past it, SQLite answers SQLITE_BUSY
/// (`isBusy`), which the service reports as 503 database-busy rather than an internal error.
public final class GuichetDatabase: Sendable {
    public enum Access: Sendable {
        /// Parallel readers and one writer: the service.
        case server
        /// One connection, which writes nothing unless asked: the command line.
        case command
    }

    public let writer: any DatabaseWriter
    public let path: String
    /// Journal rows of read-only actions, committed in groups under load.
    public let journal: JournalGroupCommit
    /// The journal's key file beside the database (`<database>.journal-key`), read on first use.
    let secret: DatabaseSecret
    /// The journal's head, witnessed outside the database after each commit (`<database>.journal-witness`).
    public let witness: JournalWitness

    /// Opens (creating if needed) and migrates the database at `path`.
    public init(path: String, access: Access = .server, busyTimeout: TimeInterval? = nil) throws {
        let secret = DatabaseSecret(databasePath: path)
        let witness = JournalWitness(databasePath: path)
        var configuration = Self.configuration(
            secret: secret, witness: witness, busyTimeout: busyTimeout ?? (access == .server ? 30 : 5))
        self.path = path
        self.secret = secret
        self.witness = witness
        switch access {
        case .server:
            writer = try DatabasePool(path: path, configuration: configuration)
        case .command:
            configuration.journalMode = .default
            writer = try DatabaseQueue(path: path, configuration: configuration)
            // WAL is a property of the file: set once, on a new file; a no-op (and no write) on an existing one.
            try writer.writeWithoutTransaction { db in
                if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                    try db.execute(sql: "PRAGMA journal_mode = WAL")
                }
            }
        }
        // After GRDB's own WAL set-up, which chooses synchronous = NORMAL for the writer.
        try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        try Schema.migrator.migrate(writer)
        try DerivedData.rebuildIfMarked(writer)
        try Journal.writeKeyingPoint(writer)
        journal = JournalGroupCommit(writer: writer)
    }

    /// Every connection's set-up: the SQL functions of the index and of the journal key, the journal's witness.
    static func configuration(secret: DatabaseSecret, witness: JournalWitness, busyTimeout: TimeInterval) -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.maximumReaderCount = 4  // as many as libmicrohttpd's default worker threads
        configuration.prepareDatabase { db in
            SearchIndex.registerFunctions(db)
            Journal.installKey(db, secret: secret)
            db.add(transactionObserver: JournalWitnessObserver(witness), extent: .databaseLifetime)
            // 8 MB of pages per connection (SQLite's default is 2 MB; search reads B-tree pages at random). Not
            // mmap: measured under the service's load, every journal commit that grows the file made each reader
            // remap it (kernel time), and the mapped pages counted towards the service's resident memory.
            try db.execute(sql: "PRAGMA cache_size = -8192")
        }
        return configuration
    }

    /// True when `error` is SQLite giving up on a lock another connection holds (see `busyTimeout`): a runtime
    /// condition that passes, not a bug.
    public static func isBusy(_ error: any Error) -> Bool {
        (error as? DatabaseError)?.resultCode == .SQLITE_BUSY
    }

    /// The date of the data (the last import's export date), and how many accounts there are.
    public func status() throws -> (dataDate: Date?, accounts: Int) {
        // One snapshot: the count belongs to the export whose date is shown, even while an import commits. Its
        // BEGIN and COMMIT cost 67k instructions (callgrind), paid once a second by `/healthz`: nothing per request.
        try writer.read { db in
            let date = try String.fetchOne(db.cachedStatement(sql: "SELECT data_date FROM import_run ORDER BY id DESC LIMIT 1"))
            // Accounts are never deleted, so the largest rowid is their count: a B-tree descent, where count(*)
            // reads a million rows (measured: it made /healthz 70 times slower than the service's other routes).
            let count = try Int.fetchOne(db.cachedStatement(sql: "SELECT max(id) FROM account")) ?? 0
            return (date.flatMap(Timestamp.parse), count)
        }
    }
}

/// UTC ISO 8601 timestamps as stored in the database and shown by the API: "2026-11-21T08:30:00Z".
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }

    public static func parse(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(timeZone: .gmt).parse(text)
    }

    /// The calendar day of `date` in the school's time zone, "yyyy-MM-dd".
    public static func day(_ date: Date, timeZone: TimeZone = .current) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: timeZone).year().month().day())
    }
}
