import Foundation
import GRDB
import SQLiteBulk

/// What an import changed, as printed by `guichet import` and stored in `import_run` and the journal.
public struct ImportSummary: Codable, Sendable, Equatable {
    public var file: String
    public var kind: ExportKind
    public var encoding: SourceEncoding
    public var rows: Int
    public var added = 0
    public var changed = 0
    /// The activation code disappeared since the last import: the person activated the account.
    public var activated = 0
    public var goneFromFeed = 0
    public var backInFeed = 0
    public var unchanged = 0
    public var links = LinkSummary()
    public var journalSeq: Int64 = 0

    public struct LinkSummary: Codable, Sendable, Equatable {
        public var linked = 0
        public var bothSides = 0
        public var oneSide = 0
        public var notFound = 0
        public var ambiguous: [Ambiguity] = []
    }

    /// A display name on `login` that matches several accounts of the school: reported, never guessed.
    public struct Ambiguity: Codable, Sendable, Equatable {
        public let login: String
        public let name: String
        public let candidates: [String]
    }
}

/// Imports an export into the database, all or nothing: one write transaction, rolled back on any error.
public enum Importer {
    /// `progress`, when given, hears each phase's name and duration (`guichet import --verbose`). The export is
    /// consumed: its rows are let go as the new accounts they make are written, and all of them before the search
    /// index and the family links are (hand it over with `consume` to free them: a million rows are some 650 MB).
    public static func run(
        _ export: consuming ExportFile, into database: GuichetDatabase, staff: String? = nil,
        channel: Channel = .cli, now: Date = Date(),
        progress: (@Sendable (String) -> Void)? = nil
    ) throws -> ImportSummary {
        // A million-row import writes some 700 MB of pages; with SQLite's default 2 MB cache they spill to the WAL in
        // the middle of the transaction, and the cache also bounds `CREATE INDEX`'s in-memory sort. Measured on the
        // realistic 1M export (2 December, run side by side, load average 7-9): 1 GB of cache 61.5 s of CPU and a
        // 2,170 MB peak, 64 MB 64.0 s and 1,928 MB; after the merge's and the executor's memory fixes, 256 MB 60.7 s
        // and 2,010 MB, 64 MB 60.6 s and 1,906 MB. The cache's pages come on top of the accounts and index rows held
        // at the peak; spilling them cost at most 2.5 s (4%, within this machine's noise): 64 MB.
        try database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = -65536") }
        defer { try? database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = -2000") } }
        let phases = PhaseClock(progress)
        let pagesOnce = writesPagesOnce(database)
        defer { if pagesOnce { backToWAL(database) } }
        if pagesOnce { phases.lap("left WAL for a rollback journal: a first import, its pages written once") }
        let rows = Rows(export.accounts)
        export.accounts = []
        let file = export
        let summary = try database.writer.write { db in
            try run(file, rows: rows, db: db, staff: staff, channel: channel, now: now, phases: phases)
        }
        phases.lap("committed")
        return summary
    }

    /// Whether the import runs with a rollback journal instead of the WAL (the file back in WAL mode afterwards:
    /// `backToWAL`): only for a first import (no account stored yet), on the command line's own connection, and
    /// when no other connection has the file open.
    ///
    /// A first import writes every page of the accounts, the search index and the links anew: some 850 MB at a
    /// million accounts. In WAL mode each page goes to the WAL; once a page the cache spilled mid-transaction changes
    /// again, the commit reads back and rewrites every frame after it (their checksums are chained); then the
    /// checkpoint copies them all into the database (strace of a 1M import: 1.03M `pwrite`s and 0.88M `pread`s,
    /// 3.6 GB read back from the WAL). With a rollback journal, pages past the end of the file as the transaction
    /// found it are not journalled (SQLite's pager): each page is written once, in place, as `sqlite3 .import`
    /// writes its table. All or nothing still holds: a refusal rolls back; after a crash, the next open finds the
    /// hot journal, puts back the few pages that existed and cuts the file to its former size.
    ///
    /// Leaving WAL needs the file to itself, so a running service (its readers, its journal's writer) is never made
    /// to wait: the attempt does not wait for a lock, and fails into the WAL when another connection holds one.
    static func writesPagesOnce(_ database: GuichetDatabase) -> Bool {
        guard database.writer is DatabaseQueue else { return false }
        let left = try? database.writer.writeWithoutTransaction { db -> Bool in
            guard try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM account)") == true else { return false }
            let timeout = try Int.fetchOne(db, sql: "PRAGMA busy_timeout") ?? 0
            try db.execute(sql: "PRAGMA busy_timeout = 0")
            defer { try? db.execute(sql: "PRAGMA busy_timeout = \(timeout)") }
            return try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") == "delete"
        }
        return left ?? false
    }

    /// The file in WAL mode again after `writesPagesOnce`. Should another process have opened the file in between
    /// and still hold it, the file stays in rollback mode, which is as safe: every open (`GuichetDatabase`, GRDB's
    /// pool for the service) puts it back into WAL mode.
    static func backToWAL(_ database: GuichetDatabase) {
        _ = try? database.writer.writeWithoutTransaction { db in
            try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
        }
    }

    /// The export's rows, handed from the caller to the import and let go by it (a box: the write closure captures it).
    final class Rows: @unchecked Sendable {
        // Used by the one thread that runs the import.
        var rows: [ImportedAccount]
        /// Empty while `rows` holds every row of the file; once the importer has kept only the rows it still reads,
        /// `rows[Int(slots[i])]` is the file's row `i` (-1: let go).
        var slots: [Int32] = []
        init(_ rows: [ImportedAccount]) { self.rows = rows }

        /// Where the file's row `i` is in `rows`, given `slots` as above (empty: at `i` itself).
        static func place(of i: Int, _ slots: [Int32]) -> Int { slots.isEmpty ? i : Int(slots[i]) }
    }

    static func run(
        _ export: ExportFile, rows box: Rows, db: Database, staff: String?, channel: Channel, now: Date,
        phases: PhaseClock = PhaseClock(nil)
    ) throws -> ImportSummary {
        let today = Timestamp.day(now)
        let rowCount = box.rows.count  // `export.rowCount` is 0: its rows were handed over in `box`
        let (plan, people, previousLinks) = try plan(export, rows: box, db: db, today: today, phases: phases)

        var summary = ImportSummary(
            file: URL(fileURLWithPath: export.name).lastPathComponent, kind: export.kind,
            encoding: export.encoding, rows: rowCount)
        (summary.added, summary.changed, summary.activated) = (plan.counts.added, plan.counts.changed, plan.counts.activated)
        (summary.goneFromFeed, summary.backInFeed, summary.unchanged) = (
            plan.counts.goneFromFeed, plan.counts.backInFeed, plan.counts.unchanged
        )
        summary.links = try ImportExecutor(
            plan: consume plan, rows: box, people: people, previousLinks: previousLinks, today: today, phases: phases
        ).run(db)

        summary.journalSeq = try Journal.append(
            db,
            JournalEntry(
                staff: staff, channel: channel, action: .importRun, details: summary), at: now)
        let diff = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
        phases.lap("journalled")
        try db.execute(
            sql: """
                INSERT INTO import_run (imported_at, file_name, kind, encoding, data_date, rows, diff) VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                Timestamp.format(now), summary.file, export.kind.rawValue, export.encoding.rawValue,
                Timestamp.format(export.dataDate), rowCount, diff
            ])
        return summary
    }

    /// The plan, and what the family links need of the rows: their people when the links are rebuilt, else the
    /// last report of them when the plan keeps them. The rows the plan leaves as they are (most of a next night's)
    /// are let go once matched and their family names numbered, before the changed rows are read whole and merged:
    /// on a next night's million-row re-import the rows, the stored rows read whole, the merged accounts and the
    /// numbering were held at once (peak 1,077 MB).
    private static func plan(
        _ export: ExportFile, rows box: Rows, db: Database, today: String, phases: PhaseClock
    ) throws -> (ImportPlan, FamilyLinks.People?, ImportSummary.LinkSummary?) {
        // `box.rows` is read in place, never held in a local: a second reference would make the letting go below
        // copy the whole array.
        var stored = try StoredAccounts.read(db, keyedByEntId: box.rows.first?.entId != nil)
        phases.lap("read \(stored.count) stored accounts")
        let matching = try ImportPlan.match(box.rows, with: &stored, file: export.name)
        // The keys that matched the rows let go, and their pages given back, before the names are numbered and the
        // changed rows read whole and merged.
        stored.keepOnlyWhatTheMergeNeeds()
        FreePages.giveBack()
        phases.lap("compared \(box.rows.count) rows, \(matching.toLoad.count) to merge")

        let links = ImportPlan.linkWork(kind: export.kind, stored: stored, matching: matching)
        let previousLinks = links == .keepPrevious ? try ImportExecutor.lastLinkSummary(db) : nil
        var people: FamilyLinks.People?
        if links == .rebuild || (links == .keepPrevious && previousLinks == nil) {
            people = FamilyLinks.people(box.rows, ids: ImportPlan.ids(matching.fates, stored: stored))
            phases.lap("numbered the family names")
        }
        FreePages.giveBack()  // the numbering's dictionaries and folded names
        // Neither the merge nor the executor reads a kept row again. When they are most of the file (a next night's:
        // 798,835 of 950,000), only the others are kept, in a new array: the rows' array alone is some 280 MB at a
        // million rows, and with the kept rows' places in it, it stayed whole through the merge and the new accounts'
        // writes, where the peak was (991 MB). When few are kept (a first import: none), copying the others would
        // hold the array twice: the kept rows are only emptied in place.
        let kept = keptCount(matching.fates)
        if kept * 2 > matching.fates.count {
            var slots = [Int32](repeating: -1, count: box.rows.count)
            var still: [ImportedAccount] = []
            still.reserveCapacity(matching.fates.count - kept)
            for (i, fate) in matching.fates.enumerated() {
                if case .keep = fate { continue }
                slots[i] = Int32(still.count)
                still.append(box.rows[i])
            }
            box.rows = still
            box.slots = slots
        } else {
            for (i, fate) in matching.fates.enumerated() {
                if case .keep = fate { box.rows[i] = ImportedAccount.letGo }
            }
        }
        FreePages.giveBack()  // the kept rows

        let loaded = try stored.load(matching.toLoad, db)
        phases.lap("read \(matching.toLoad.count) stored rows whole")
        // The new accounts are made as they are written (`ImportExecutor`): a million of them held at once were
        // some 775 MB beside the rows they come from.
        let plan = ImportPlan(
            rows: box.rows, slots: box.slots, kind: export.kind, stored: stored, matching: matching, loaded: loaded,
            today: today, newAccountsLater: true)
        phases.lap("merged \(plan.accounts.count) rows, \(plan.newRows.count) new")
        return (plan, people, previousLinks)
    }

    private static func keptCount(_ fates: [ImportPlan.RowFate]) -> Int {
        fates.reduce(0) { n, fate in if case .keep = fate { n + 1 } else { n } }
    }

    /// Times the phases of an import for `progress`.
    final class PhaseClock: @unchecked Sendable {
        private let progress: (@Sendable (String) -> Void)?
        private var last = Date()
        private var lastCPU = (thread: PhaseClock.cpu(CLOCK_THREAD_CPUTIME_ID), all: PhaseClock.cpu(CLOCK_PROCESS_CPUTIME_ID))

        init(_ progress: (@Sendable (String) -> Void)?) { self.progress = progress }

        /// Prints the phase's wall time, the CPU time of the database's thread, and that of every thread: on a
        /// shared machine the CPU times say what the phase costs when the wall time is stretched by other work.
        func lap(_ phase: String) {
            guard let progress else { return }
            let (now, cpu) = (
                Date(), (thread: PhaseClock.cpu(CLOCK_THREAD_CPUTIME_ID), all: PhaseClock.cpu(CLOCK_PROCESS_CPUTIME_ID))
            )
            progress(
                String(
                    format: "%@: %.2f s (CPU: %.2f s this thread, %.2f s all)%@", phase,
                    now.timeIntervalSince(last), cpu.thread - lastCPU.thread, cpu.all - lastCPU.all,
                    PhaseClock.memory()))
            (last, lastCPU) = (now, cpu)
        }

        /// ", resident N MB (peak M MB)" from Linux's /proc/self/status (VmRSS, VmHWM); "" elsewhere.
        static func memory() -> String {
            guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "" }
            func megabytes(_ field: String) -> Int? {
                guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
                    let kB = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
                else { return nil }
                return kB / 1024
            }
            guard let rss = megabytes("VmRSS"), let peak = megabytes("VmHWM") else { return "" }
            return ", resident \(rss) MB (peak \(peak) MB)"
        }

        private static func cpu(_ clock: clockid_t) -> Double {
            var t = timespec()
            clock_gettime(clock, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
    }
}
