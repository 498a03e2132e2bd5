import Foundation
import GRDB

/// What `backup`, `restore` and `doctor` check in a database file, read only: SQLite's own integrity check, that it
/// is a Guichet database, the journal's hash chain, and the date of the data.
public struct DatabaseInspection: Sendable {
    public let path: String
    /// `PRAGMA integrity_check`'s rows: exactly ["ok"] for a sound file.
    public let integrity: [String]
    /// The journal's length and head hash, or why the chain is broken.
    public let journal: Result<JournalHead, JournalError>
    /// The last import's export date; nil when nothing was imported yet.
    public let dataDate: Date?
    public let accounts: Int
    public let bytes: Int64

    public struct JournalHead: Sendable, Equatable {
        public let count: Int
        public let hash: String
        /// The head's seq (nil where an older caller built one without it).
        public var seq: Int64? = nil

        public init(count: Int, hash: String, seq: Int64? = nil) {
            (self.count, self.hash, self.seq) = (count, hash, seq)
        }
    }

    public var isSound: Bool { integrity == ["ok"] && (try? journal.get()) != nil }

    /// Opens `path` read only (it is never created or migrated) and checks it, its journal against the journal key
    /// `keyPath` (default: beside it) and the witness `witnessPath` (default: beside it, when there is one). Throws
    /// `BackupError` when the file is missing, not SQLite, or not a Guichet database.
    public static func inspect(path: String, keyPath: String? = nil, witnessPath: String? = nil) throws(BackupError)
        -> DatabaseInspection
    {
        guard FileManager.default.fileExists(atPath: path) else { throw .missing(path) }
        var configuration = Configuration()
        configuration.readonly = true
        let secret = DatabaseSecret(keyPath: keyPath ?? DatabaseSecret.path(besideDatabase: path))
        configuration.prepareDatabase { db in Journal.installKey(db, secret: secret) }
        let witnessed: JournalWitness.Head?
        // An empty `witnessPath` means: no witness to check against.
        do {
            let witness = witnessPath ?? JournalWitness.path(besideDatabase: path)
            witnessed = witness.isEmpty ? nil : try JournalWitness.lastHead(at: witness)
        } catch {
            throw .journalBroken(path, error as? JournalError ?? .witness("\(error)"))
        }
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                let tables = try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                guard tables.isSuperset(of: ["journal", "account", "import_run"]) else {
                    throw BackupError.notGuichet(path)
                }
                // quick_check skips the index-content cross-checks: too weak for a file about to replace the live one.
                let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                let journal: Result<JournalHead, JournalError>
                do {
                    let verified = try Journal.verify(db, witness: witnessed)
                    journal = .success(JournalHead(count: verified.count, hash: verified.head, seq: verified.headSeq))
                } catch let error as JournalError { journal = .failure(error) }
                let date = try String.fetchOne(db, sql: "SELECT data_date FROM import_run ORDER BY id DESC LIMIT 1")
                let accounts = try Int.fetchOne(db, sql: "SELECT count(*) FROM account") ?? 0
                let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0
                return DatabaseInspection(
                    path: path, integrity: integrity, journal: journal, dataDate: date.flatMap(Timestamp.parse),
                    accounts: accounts, bytes: pages * pageSize)
            }
        } catch let error as BackupError {
            throw error
        } catch let error as DatabaseError {
            throw .unreadable(path, error.message ?? "\(error.resultCode)")
        } catch {
            throw .unreadable(path, "\(error)")
        }
    }
}

/// A backup or restore that did not happen, and why; the live database is untouched in every case.
public enum BackupError: Error, CustomStringConvertible, Equatable, Sendable {
    case missing(String)
    case exists(String)
    case notGuichet(String)
    case unreadable(String, String)
    case damaged(String, String)
    case journalBroken(String, JournalError)
    case keyFile(String, String)
    case io(String, String)

    public var description: String {
        switch self {
        case .missing(let path): "\(path) does not exist"
        case .exists(let path): "\(path) already exists; a backup never overwrites a file"
        case .notGuichet(let path): "\(path) is not a Guichet database (no journal, account or import_run table)"
        case .unreadable(let path, let why): "\(path) cannot be read as SQLite: \(why)"
        case .damaged(let path, let why): "\(path) is damaged (integrity check: \(why))"
        case .journalBroken(let path, let error): "\(path): its journal does not verify: \(error)"
        case .keyFile(let path, let why): "key file \(path): \(why)"
        case .io(let path, let why): "\(path): \(why)"
        }
    }
}
