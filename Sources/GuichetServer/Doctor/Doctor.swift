import Foundation
import Guichet
#if canImport(Glibc)
    import Glibc
#endif

/// `guichet doctor`: checks what the IT person would otherwise learn from a desk that cannot print or search, each
/// finding in one plain sentence. Read only: it creates, migrates and fixes nothing.
public struct Doctor: Sendable {
    public enum Level: String, Sendable, Comparable {
        case ok, warning, problem
        public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
        private var rank: Int { self == .ok ? 0 : self == .warning ? 1 : 2 }
    }

    public struct Finding: Sendable, Equatable {
        public let level: Level
        /// "database", "printer"…: what was checked.
        public let subject: String
        public let message: String
    }

    public var configuration: GuichetConfiguration
    public var databasePath: String
    /// The kiosk page's folder as `serve` would find it; nil when it found none.
    public var kioskRoot: String?
    public var now = Date()
    /// Asks CUPS about a queue: `lpstat -p NAME`'s exit status and output. Replaced in tests.
    public var printerStatus: @Sendable (String) -> (status: Int32, output: String) = Doctor.lpstat
    /// Free bytes for an unprivileged user on the file system holding a path. Replaced in tests.
    public var freeBytes: @Sendable (String) -> Int64? = Doctor.availableBytes
    /// Below this, a problem: SQLite needs room for the WAL, a backup and the next import.
    public var minimumFreeBytes: Int64 = 512 << 20
    public var comfortableFreeBytes: Int64 = 2 << 30

    public init(configuration: GuichetConfiguration, databasePath: String, kioskRoot: String?) {
        self.configuration = configuration
        self.databasePath = databasePath
        self.kioskRoot = kioskRoot
    }

    /// Runs every check, in the order a person would look.
    public func run() -> [Finding] {
        var findings: [Finding] = []
        func add(_ level: Level, _ subject: String, _ message: String) {
            findings.append(Finding(level: level, subject: subject, message: message))
        }

        if let source = configuration.source {
            add(.ok, "configuration", "read \(source)")
        } else {
            add(
                .warning, "configuration",
                "no configuration file (\(GuichetConfiguration.defaultPath)): built-in development defaults")
        }
        checkListening(add)
        if let kioskRoot {
            add(.ok, "kiosk page", "served from \(kioskRoot)")
        } else {
            add(.problem, "kiosk page", "index.html not found; set [kiosk] web (installed: /usr/share/guichet/web)")
        }
        checkDatabase(add)
        checkPrinter(add)
        checkDisk(add)
        checkInbox(add)
        checkENTSignIn(add)
        return findings
    }

    private func checkListening(_ add: (Level, String, String) -> Void) {
        let s = configuration.server
        if configuration.tls == nil {
            if configuration.bindsLoopbackOnly {
                add(.ok, "listening", "http://\(s.bind):\(s.port)/, this machine only")
            } else {
                add(
                    .problem, "listening",
                    "\(s.bind) is reachable from the network without [tls]: the service refuses to start so (unless --insecure-lan)"
                )
            }
            return
        }
        do {
            _ = try configuration.loadTLS()
            add(.ok, "listening", "https on \(s.bind):\(s.port), certificate \(configuration.tls!.certificate)")
        } catch {
            for problem in error.problems { add(.problem, "tls", problem.description) }
        }
    }

    private func checkDatabase(_ add: (Level, String, String) -> Void) {
        let inspection: DatabaseInspection
        do { inspection = try DatabaseInspection.inspect(path: databasePath) } catch {
            if case .missing = error {
                add(
                    .problem, "database",
                    "no database at \(databasePath): import the ENT's export first (guichet import, or drop it in the inbox)")
            } else {
                add(.problem, "database", error.description)
            }
            return
        }
        if inspection.integrity == ["ok"] {
            add(
                .ok, "database",
                "\(databasePath): integrity ok, \(inspection.accounts) accounts, \(Self.megabytes(inspection.bytes))")
        } else {
            add(
                .problem, "database",
                "\(databasePath) is damaged: \(inspection.integrity.prefix(3).joined(separator: "; ")); restore the last backup (guichet restore)"
            )
        }
        switch inspection.journal {
        case .success(let head):
            add(.ok, "journal", "\(head.count) entries, the hash chain verifies (head \(head.hash.prefix(16))…)")
        case .failure(let error): add(.problem, "journal", "\(error); the journal was altered outside Guichet")
        }
        checkKey(add)
        guard let date = inspection.dataDate else {
            add(.problem, "data", "no export imported yet")
            return
        }
        let days = Int(now.timeIntervalSince(date) / 86_400)
        let stale = configuration.kiosk.staleDays
        if days > stale {
            add(
                .problem, "data",
                "the ENT's data is \(days) days old (export of \(Timestamp.day(date))), more than [kiosk] stale_days = \(stale): is the nightly export still dropped in the inbox?"
            )
        } else {
            add(
                .ok, "data",
                "export of \(Timestamp.day(date)) (\(days == 0 ? "today" : days == 1 ? "1 day old" : "\(days) days old"))")
        }
    }

    private func checkKey(_ add: (Level, String, String) -> Void) {
        let key = databasePath + ".key"
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: key) else {
            add(.warning, "renewal key", "\(key) does not exist yet; the service creates it at its first start")
            return
        }
        let mode = (attributes[.posixPermissions] as? Int) ?? 0
        if mode & 0o077 != 0 {
            add(.problem, "renewal key", "\(key) is readable by other users; chmod 600 it")
        } else if (attributes[.size] as? Int) != 32 {
            add(.problem, "renewal key", "\(key) does not hold 32 bytes")
        } else {
            add(.ok, "renewal key", "\(key), mode 0600; back it up with the database")
        }
        // The journal's key (its absence for a keyed journal is already reported by the journal check).
        let journalKey = databasePath + ".journal-key"
        if let attributes = try? FileManager.default.attributesOfItem(atPath: journalKey) {
            let mode = (attributes[.posixPermissions] as? Int) ?? 0
            if mode & 0o077 != 0 {
                add(.problem, "journal key", "\(journalKey) is readable by other users; chmod 600 it")
            } else {
                add(.ok, "journal key", "\(journalKey), mode 0600; back it up with the database")
            }
        }
    }

    private func checkPrinter(_ add: (Level, String, String) -> Void) {
        guard let printer = configuration.print.printer else {
            add(.ok, "printer", "none configured: the kiosk browser prints the sheets itself")
            return
        }
        let (status, output) = printerStatus(printer)
        let text = output.trimmingCharacters(in: .whitespacesAndNewlines)
        if status == 0 && !text.contains("disabled") {
            add(.ok, "printer", text.isEmpty ? "\(printer) is ready" : text.components(separatedBy: "\n")[0])
        } else {
            add(
                .problem, "printer",
                "\(printer) is not ready: \(text.isEmpty ? "lpstat exited with status \(status)" : text.replacingOccurrences(of: "\n", with: " "))"
            )
        }
    }

    private func checkDisk(_ add: (Level, String, String) -> Void) {
        let folder = (databasePath as NSString).deletingLastPathComponent
        guard let free = freeBytes(folder.isEmpty ? "." : folder) else {
            add(.warning, "disk", "cannot tell the free space of \(folder)")
            return
        }
        let level: Level = free < minimumFreeBytes ? .problem : free < comfortableFreeBytes ? .warning : .ok
        add(
            level, "disk",
            "\(Self.megabytes(free)) free beside the database\(level == .ok ? "" : "; backups and imports need room")")
    }

    /// Exports the import unit refused (`<database folder>/inbox/rejected/`): the IT person should look.
    private func checkInbox(_ add: (Level, String, String) -> Void) {
        let rejected = (databasePath as NSString).deletingLastPathComponent + "/inbox/rejected"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: rejected), !names.isEmpty else { return }
        add(
            .warning, "inbox",
            "\(names.count) refused export(s) in \(rejected), latest \(names.sorted().last!): see journalctl -u guichet-import")
    }

    /// The ENT's refused sign-in remembered beside the database (`ENTSignInMemory`): while it is there, no process
    /// signs in to the ENT, so renewal codes, live state and `ent fetch` all stop. Read without the password: the
    /// doctor reports the file; whether it still matches the password in force is `ent check`'s to say.
    private func checkENTSignIn(_ add: (Level, String, String) -> Void) {
        let memory = ENTSignInMemory(besideDatabase: databasePath)
        guard let data = FileManager.default.contents(atPath: memory.path) else { return }
        let stored = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let when = (stored?["refusedAt"] as? String).map { " on \($0)" } ?? ""
        let why = (stored?["reason"] as? String).map { " (\($0))" } ?? ""
        add(
            .warning, "ENT sign-in",
            "the ENT refused Guichet's sign-in\(when)\(why), remembered in \(memory.path): no process signs in again until "
                + "the password changes or `guichet ent check --retry`")
    }

    static func megabytes(_ bytes: Int64) -> String {
        bytes >= 10 << 30 ? "\(bytes >> 30) GB" : String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }

    /// statvfs(3): "f_bavail: number of free blocks for unprivileged users", in units of f_frsize.
    @Sendable public static func availableBytes(_ path: String) -> Int64? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }

    /// `lpstat -p NAME` (cups-client): "printer NAME is idle.  enabled since …", exit status 0; an unknown queue
    /// or a stopped scheduler exits non-zero with the reason.
    @Sendable public static func lpstat(_ printer: String) -> (status: Int32, output: String) {
        guard
            let lpstat = ["/usr/bin/lpstat", "/usr/local/bin/lpstat"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else {
            return (127, "lpstat is not installed (Debian: cups-client)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: lpstat)
        process.arguments = ["-p", printer]
        let pipe = Pipe()
        (process.standardOutput, process.standardError) = (pipe, pipe)
        do { try process.run() } catch { return (127, "cannot run \(lpstat): \(error)") }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
