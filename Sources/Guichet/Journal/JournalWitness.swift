import Foundation
import GRDB
#if canImport(Glibc)
    import Glibc
#endif

/// The journal's head as seen from outside the database: after each commit that appended rows, the new head's seq
/// and hash are appended to `<database>.journal-witness` (beside the key), and announced to whoever listens (the
/// service logs it, at most every few seconds, to the system journal). A database cut back to an earlier head, or
/// with its newest rows rewritten, disagrees with its witness, which `verify` checks.
///
/// Format: lines "SEQ HASH\n", append-only (O_APPEND), mode 0600, never through a symlink (O_NOFOLLOW). Written after
/// the commit and not synced: the witness can fall behind the database (a crash between the two), never run ahead
/// of it, so a witness ahead of the head always means rows were removed. Past 4 MiB the file is renamed
/// `<witness>.old` (replacing the previous one) and a new one starts with the current head.
public final class JournalWitness: @unchecked Sendable {
    // @unchecked: `lastSeq` and `announce` are read and written only under `lock`.
    public struct Head: Sendable, Equatable {
        public let seq: Int64
        public let hash: String
    }

    public let path: String
    private let lock = NSLock()
    private var lastSeq: Int64 = 0
    private var announce: (@Sendable (Head) -> Void)?
    static let rotateBytes = 4 * 1024 * 1024

    init(databasePath: String) {
        path = Self.path(besideDatabase: databasePath)
    }

    public static func path(besideDatabase databasePath: String) -> String { databasePath + ".journal-witness" }

    /// Who hears of each witnessed head (the service: its log, hence the system journal).
    public func onHead(_ listener: @escaping @Sendable (Head) -> Void) {
        lock.withLock { announce = listener }
    }

    /// Appends `head` unless a later one was already witnessed by this process.
    func record(_ head: Head) {
        let listener: (@Sendable (Head) -> Void)? = lock.withLock {
            guard head.seq > lastSeq else { return nil }
            lastSeq = head.seq
            let line = Array("\(head.seq) \(head.hash)\n".utf8)
            if let error = Self.append(line, to: path) {
                StandardErrorLine.write("guichet: the journal witness \(path) could not be written: \(error)")
            }
            return announce
        }
        listener?(head)
    }

    /// The last head written to the witness file at `path`, nil when there is none (no file, or empty).
    public static func lastHead(at path: String) throws -> Head? {
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) { throw JournalError.witness("\(path) cannot be read") }
            return nil
        }
        guard let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last else { return nil }
        let parts = line.split(separator: " ")
        guard parts.count == 2, let seq = Int64(parts[0]), parts[1].count == 64 else {
            throw JournalError.witness("the last line of \(path) is not \"SEQ HASH\"")
        }
        return Head(seq: seq, hash: String(parts[1]))
    }

    /// Starts a new witness file at `head` (restore), keeping the previous one as `<witness>.before-restore`.
    static func restart(at path: String, head: Head?) {
        rename(path, path + ".before-restore")
        if let head { _ = append(Array("\(head.seq) \(head.hash)\n".utf8), to: path) }
    }

    private static func append(_ bytes: [UInt8], to path: String) -> String? {
        var info = stat()
        if stat(path, &info) == 0 && Int(info.st_size) > rotateBytes { rename(path, path + ".old") }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        defer { close(fd) }
        let written = write(fd, bytes, bytes.count)
        return written == bytes.count ? nil : String(cString: strerror(errno))
    }
}

/// Watches one connection's commits for new journal rows and witnesses the head after each.
final class JournalWitnessObserver: TransactionObserver {
    private let witness: JournalWitness
    private var appended: Int64 = 0

    init(_ witness: JournalWitness) {
        self.witness = witness
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        if case .insert(let table) = eventKind { return table == "journal" }
        return false
    }

    func databaseDidChange(with event: DatabaseEvent) {
        appended = max(appended, event.rowID)  // seq is the rowid (INTEGER PRIMARY KEY)
    }

    func databaseDidCommit(_ db: Database) {
        defer { appended = 0 }
        guard appended > 0,
            let hash = try? String.fetchOne(db, sql: "SELECT hash FROM journal WHERE seq = ?", arguments: [appended])
        else { return }
        witness.record(.init(seq: appended, hash: hash))
    }

    func databaseDidRollback(_ db: Database) {
        appended = 0
    }
}

/// One line on standard error, for failures nobody can be told of otherwise (after a commit).
enum StandardErrorLine {
    static func write(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = Glibc.write(2, bytes, bytes.count)
    }
}
