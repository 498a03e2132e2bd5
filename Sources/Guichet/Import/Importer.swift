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
    /// `progress`, when given, hears each phase's name and duration (`guichet import --verbose`).
    public static func run(_ export: ExportFile, into database: GuichetDatabase, staff: String? = nil,
                           channel: Channel = .cli, now: Date = Date(),
                           progress: (@Sendable (String) -> Void)? = nil) throws -> ImportSummary {
        // A million-row import writes some 700 MB of pages: with SQLite's default 2 MB page cache they spill to the
        // WAL in the middle of the transaction (measured on a million accounts' writes: 12.5 s with 256 MB, 11 s with 1 GB).
        // 1 GB is a ceiling, not an allocation: a school's import uses a few megabytes.
        try database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = -1048576") }
        defer { try? database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = -2000") } }
        let phases = PhaseClock(progress)
        let summary = try database.writer.write { db in
            try run(export, db: db, staff: staff, channel: channel, now: now, phases: phases)
        }
        phases.lap("committed")
        return summary
    }

    static func run(_ export: ExportFile, db: Database, staff: String?, channel: Channel, now: Date,
                    phases: PhaseClock = PhaseClock(nil)) throws -> ImportSummary {
        let today = Timestamp.day(now)
        var summary = ImportSummary(file: URL(fileURLWithPath: export.name).lastPathComponent, kind: export.kind,
                                    encoding: export.encoding, rows: export.rowCount)
        let rows = export.accounts
        let kind = export.kind
        var stored = try StoredAccounts.read(db, keyedByEntId: rows.first?.entId != nil)
        phases.lap("read \(stored.count) stored accounts")

        // What becomes of each row: a new account, the stored one untouched, or the stored one merged with the row.
        var plans: [Plan] = []
        plans.reserveCapacity(rows.count)
        var seen = [Bool](repeating: false, count: stored.count)
        var nextId = stored.maxId + 1
        var toLoad: [Int64] = []
        for row in rows {
            guard let s = stored.index(of: row) else {
                try stored.checkLoginIsFree(row, at: nil, file: export.name)
                plans.append(.add(id: nextId))
                nextId += 1
                continue
            }
            seen[s] = true
            if stored.fingerprints[s] == row.fingerprint {
                plans.append(.keep(s))
            } else {
                if row.login.lowercased() != stored.logins[s].lowercased() { try stored.checkLoginIsFree(row, at: s, file: export.name) }
                plans.append(.merge(s))
                toLoad.append(stored.ids[s])
            }
        }
        let old = try stored.load(toLoad, db)
        phases.lap("compared \(rows.count) rows, \(toLoad.count) to merge")

        // The accounts as they are now, computed on every core: `touched[k]` for the k-th row that adds or merges.
        var touchedRow: [Int] = []
        var olds: [StoredAccount?] = []
        var addedAt: [Int] = []   // the positions in `touched` of the new accounts
        for (i, plan) in plans.enumerated() {
            switch plan {
            case .keep: continue
            case .add:
                addedAt.append(olds.count)
                olds.append(nil)
            case .merge(let s): olds.append(old[stored.ids[s]])
            }
            touchedRow.append(i)
        }
        let (planned, rowOf, before) = (plans, touchedRow, olds)
        let touched: [StoredAccount] = rows.withUnsafeBufferPointer { buffer in
            let rows = Parallel.Borrowed(buffer)
            return Parallel.map(rowOf.count) { k in
                let i = rowOf[k]
                switch planned[i] {
                case .add(let id):
                    var account = StoredAccount().merged(with: rows[i])
                    (account.id, account.firstSeen, account.lastSeen) = (id, today, today)
                    account.fingerprint = rows[i].fingerprint
                    return account
                case .merge, .keep:
                    let old = before[k]!
                    var account = old.merged(with: rows[i])
                    (account.lastSeen, account.goneSince, account.fingerprint) = (today, nil, rows[i].fingerprint)
                    if !old.isActivated && account.isActivated { account.activatedSince = today }
                    return account
                }
            }
        }
        let ids = plans.map { plan in
            switch plan { case .add(let id): id; case .keep(let s), .merge(let s): stored.ids[s] }
        }
        phases.lap("merged \(touched.count) rows")

        // The index rows and the family links are computed on one other thread while this one, the only one that
        // uses the database, writes the accounts and builds their indexes. That thread reads the accounts from the
        // last one back: two threads retaining the same strings at the same moment make every retain a cache miss
        // (measured: twice as slow when both went forward), and this one goes forward.
        // Positions, not copies: copying a million accounts is some twenty retains each.
        var reindexOld: [StoredAccount] = []
        var reindexNew: [Int] = []
        for k in touched.indices {
            if let old = olds[k] {
                if touched[k].sameIndex(as: old) { continue }
                reindexOld.append(old)
            }
            reindexNew.append(k)
        }
        let (removed, added) = (reindexOld, reindexNew)
        // The links are a function of the rows: when every row is the one the last import read and nobody left or
        // came back, they are what that import made, and so is its report of them.
        let leaving = kind == .accountExport ? stored.ids.indices.filter { !seen[$0] && !stored.gone[$0] } : []
        let sameRows = leaving.isEmpty && plans.allSatisfy { if case .keep(let s) = $0 { !stored.gone[s] } else { false } }
        let previousLinks = kind == .accountExport && sameRows ? try lastLinkSummary(db) : nil
        let linkRows = kind == .accountExport && previousLinks == nil
        let (indexRows, family) = Parallel.background({
            (old: SearchIndex.batch(removed, at: Array(removed.indices)), new: SearchIndex.batch(touched, at: added))
        }, then: {
            linkRows ? FamilyLinks(people: FamilyLinks.people(rows, ids: ids, pieces: 1)) : nil
        })

        let update = try BulkStatement(db, sql: "UPDATE account SET (\(StoredAccount.columns)) = (\(Array(repeating: "?", count: StoredAccount.columnList.count).joined(separator: ","))) WHERE id = ?")
        let markSeen = try BulkStatement(db, sql: "UPDATE account SET gone_since = NULL, last_seen = ? WHERE id = ?")
        // Many new accounts: build the account indexes once at the end (see AccountIndexes).
        let buildIndexesAfter = addedAt.count >= 50_000 && addedAt.count > stored.count
        if buildIndexesAfter { try AccountIndexes.drop(db) }
        try touched.withUnsafeBufferPointer { touched in   // in place: `touched[k]` of the array copies the account
            // The new accounts, in one `INSERT … SELECT` that reads them from here (see RowStream). None can take a
            // stored account's ENT id or login (checked above), so they go in before the changed ones.
            var n = 0
            try RowStream.insert(db, into: "account", columns: StoredAccount.columnList + ["id"], rows: RowStream(
                columns: StoredAccount.columnList.count + 1) { row in
                guard n < addedAt.count else { return false }
                try touched[addedAt[n]].bind(to: row)
                n += 1
                return true
            })
            summary.added = addedAt.count
            var k = 0   // the next of `touched`
            for plan in plans {
                switch plan {
                case .add:
                    k += 1
                case .keep(let s):
                    if stored.gone[s] { summary.backInFeed += 1 } else { summary.unchanged += 1 }
                    // `last_seen` of an account export is set in bulk below; a publipostage list only speaks for its own rows.
                    if stored.gone[s] || (kind == .publipostage && stored.lastSeen[s] != today) {
                        try markSeen.bind(1, today)
                        try markSeen.bind(2, stored.ids[s])
                        try markSeen.execute()
                    }
                case .merge(let s):
                    let old = olds[k]!
                    if stored.gone[s] { summary.backInFeed += 1 }
                    else if !old.isActivated && touched[k].isActivated { summary.activated += 1 }
                    else if !touched[k].sameContent(as: old) { summary.changed += 1 }
                    else { summary.unchanged += 1 }
                    try touched[k].bind(to: update)
                    try update.execute()
                    k += 1
                }
            }
        }
        phases.lap("wrote accounts")
        if buildIndexesAfter {
            try AccountIndexes.create(db)
            phases.lap("built the account indexes")
        }

        if kind == .accountExport {
            let markGone = try BulkStatement(db, sql: "UPDATE account SET gone_since = ? WHERE id = ?")
            for s in leaving {
                try markGone.bind(1, today)
                try markGone.bind(2, stored.ids[s])
                try markGone.execute()
            }
            summary.goneFromFeed = leaving.count
            try db.execute(sql: "UPDATE account SET last_seen = ? WHERE gone_since IS NULL AND last_seen <> ?",
                           arguments: [today, today])
            phases.lap("marked gone accounts")
        }
        let index = indexRows.wait()
        phases.lap("waited for the index rows")
        try SearchIndex.apply(db, removing: [index.old], adding: [index.new])
        phases.lap("updated the search index (\(added.count) accounts)")
        if let previousLinks {
            summary.links = previousLinks
        } else if let family = family.wait() {
            phases.lap("waited for the family links")
            summary.links = try FamilyLinks.store(family, db)
            phases.lap("rebuilt family links")
        }

        summary.journalSeq = try Journal.append(db, JournalEntry(
            staff: staff, channel: channel, action: .importRun, details: summary), at: now)
        let diff = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
        phases.lap("journalled")
        try db.execute(sql: """
            INSERT INTO import_run (imported_at, file_name, kind, encoding, data_date, rows, diff) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [Timestamp.format(now), summary.file, export.kind.rawValue, export.encoding.rawValue,
                             Timestamp.format(export.dataDate), export.rowCount, diff])
        return summary
    }

    /// The family links the last account export made, as its diff reports them.
    private static func lastLinkSummary(_ db: Database) throws -> ImportSummary.LinkSummary? {
        let diff = try String.fetchOne(db, sql: "SELECT diff FROM import_run WHERE kind = ? ORDER BY id DESC LIMIT 1",
                                       arguments: [ExportKind.accountExport.rawValue])
        return diff.flatMap { try? JSONDecoder().decode(ImportSummary.self, from: Data($0.utf8)).links }
    }

    /// What the import does with one row of the file.
    enum Plan: Sendable {
        /// A new account, with this id.
        case add(id: Int64)
        /// The stored account at this position of `StoredAccounts`, which the row leaves as it is.
        case keep(Int)
        /// The stored account at this position, merged with the row.
        case merge(Int)
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
            let (now, cpu) = (Date(), (thread: PhaseClock.cpu(CLOCK_THREAD_CPUTIME_ID), all: PhaseClock.cpu(CLOCK_PROCESS_CPUTIME_ID)))
            progress(String(format: "%@: %.2f s (CPU: %.2f s this thread, %.2f s all)", phase,
                            now.timeIntervalSince(last), cpu.thread - lastCPU.thread, cpu.all - lastCPU.all))
            (last, lastCPU) = (now, cpu)
        }

        private static func cpu(_ clock: clockid_t) -> Double {
            var t = timespec()
            clock_gettime(clock, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
    }
}
