import Foundation
import GRDB
import SQLiteBulk

/// Applies an `ImportPlan` inside the import's write transaction: the accounts, the marks, the search index and the
/// family links. It decides nothing the plan has not said, apart from reusing the last report of the links.
struct ImportExecutor {
    var plan: ImportPlan
    /// The export's rows, read for the plan's `newRows`: each chunk's rows are let go once its accounts are written,
    /// and every row once all are.
    let rows: Importer.Rows
    /// The students and relatives whose links are to be rebuilt (nil: the links stay, or `previousLinks` is reused).
    let people: FamilyLinks.People?
    /// The report of the links the last account export made, when the plan keeps them.
    let previousLinks: ImportSummary.LinkSummary?
    let today: String
    let phases: Importer.PhaseClock

    /// Writes the plan; returns the report of the family links (empty when the plan leaves them alone).
    consuming func run(_ db: Database) throws -> ImportSummary.LinkSummary {
        // The index rows and the family links are computed on one other thread while this one, the only one that
        // uses the database, writes the accounts and builds their indexes. That thread reads the accounts from the
        // last one back: two threads retaining the same strings at the same moment make every retain a cache miss
        // (measured: twice as slow when both went forward), and this one goes forward.
        // Positions, not copies: copying a million accounts is some twenty retains each.
        let (accounts, removed, added, people) = (plan.accounts, plan.reindexOld, plan.reindexNew, people)
        plan.reindexOld = []
        let indexRows = Parallel.background {
            (old: SearchIndex.batch(removed, at: Array(removed.indices)), new: SearchIndex.batch(accounts, at: added))
        }

        if plan.rebuildsAccountIndexes { try AccountIndexes.drop(db) }
        let newIndexRows = try writeNewAccounts(db)
        // The family links once the new accounts are written: while they are, both cores make and index them, and
        // the links' tables would add to the rows still held (the peak of a first import, measured: 1,071 MB with
        // the links computed beside the first chunks).
        let family = Parallel.background { people.map { FamilyLinks(people: $0) } }
        try writeAccounts(db)
        let index = indexRows.wait()
        phases.lap("waited for the index rows")
        // Written and indexed: the changed accounts' memory back before `CREATE INDEX` sorts their keys and SQLite's
        // cache grows (the new ones went chunk by chunk).
        plan.accounts = []
        try buildIndexesAndMarkGone(db)
        try SearchIndex.apply(db, removing: [index.old], adding: [index.new] + newIndexRows)
        phases.lap("updated the search index (\(added.count + plan.newRows.count) accounts)")
        if let previousLinks { return previousLinks }
        guard let family = family.wait() else { return ImportSummary.LinkSummary() }
        phases.lap("waited for the family links")
        let links = try FamilyLinks.store(family, db)
        phases.lap("rebuilt family links")
        return links
    }

    /// How many new accounts are made and written at a time: the rows of one chunk, its accounts and their index rows
    /// are what the import holds beside the export's rows, and each chunk's index rows are one sorted run that
    /// `SearchIndex.apply` merges (twenty at a million rows).
    static let chunkRows = 50_000

    /// The plan's `newRows` made into accounts on every core, a chunk at a time, and inserted by this thread while
    /// another computes the chunk's index rows (from the last account back: see `run`); then the chunk's rows and
    /// accounts are let go, and the export's rows once every chunk is written. Returns the index rows, one sorted
    /// batch per chunk.
    private func writeNewAccounts(_ db: Database) throws -> [SearchIndex.Batch] {
        defer {
            (rows.rows, rows.slots) = ([], [])
            FreePages.giveBack()
        }
        let (newRows, ids, today, slots) = (plan.newRows, plan.ids, today, rows.slots)
        var batches: [SearchIndex.Batch] = []
        for start in stride(from: 0, to: newRows.count, by: Self.chunkRows) {
            let chunk = newRows[start..<min(start + Self.chunkRows, newRows.count)]
            let accounts: [StoredAccount] = rows.rows.withUnsafeBufferPointer { buffer in
                let rows = Parallel.Borrowed(buffer)
                return Parallel.map(chunk.count) { k in
                    let i = chunk[chunk.startIndex + k]
                    return ImportPlan.newAccount(from: rows[Importer.Rows.place(of: i, slots)], id: ids[i], today: today)
                }
            }
            let indexRows = Parallel.background { SearchIndex.batch(accounts, at: Array(accounts.indices)) }
            try insert(accounts, at: accounts.indices, db)
            batches.append(indexRows.wait())
            for i in chunk { rows.rows[Importer.Rows.place(of: i, slots)] = ImportedAccount.letGo }
            // The chunk's rows' and accounts' strings, freed in the heaps of the threads that made them: the next
            // chunk's index rows would come from new pages beside them.
            FreePages.giveBack()
        }
        if !newRows.isEmpty { phases.lap("wrote \(newRows.count) new accounts") }
        return batches
    }

    /// `accounts[k]` for every `k` of `positions`, inserted in one `INSERT … SELECT` that reads them from here (see
    /// RowStream).
    private func insert(_ accounts: [StoredAccount], at positions: some Collection<Int>, _ db: Database) throws {
        try accounts.withUnsafeBufferPointer { accounts in  // in place: `accounts[k]` of the array copies it
            var next = positions.makeIterator()
            try RowStream.insert(
                db, into: "account", columns: StoredAccount.columnList + ["id"],
                rows: RowStream(columns: StoredAccount.columnList.count + 1) { row in
                    guard let k = next.next() else { return false }
                    try accounts[k].bind(to: row)
                    return true
                })
        }
    }

    /// The new accounts of `accounts` inserted, the changed ones rewritten, the others marked seen.
    private func writeAccounts(_ db: Database) throws {
        let update = try BulkStatement(
            db,
            sql:
                "UPDATE account SET (\(StoredAccount.columns)) = (\(Array(repeating: "?", count: StoredAccount.columnList.count).joined(separator: ","))) WHERE id = ?"
        )
        let updateKeepingIndexed = try BulkStatement(
            db,
            sql:
                "UPDATE account SET \(StoredAccount.assignmentsKeepingIndexedColumns) WHERE id = ?\(StoredAccount.columnList.count + 1)"
        )
        let markSeen = try BulkStatement(db, sql: "UPDATE account SET gone_since = NULL, last_seen = ? WHERE id = ?")
        // The new accounts first: none can take a stored account's ENT id or login (checked by the plan).
        if !plan.added.isEmpty { try insert(plan.accounts, at: plan.added, db) }
        try plan.accounts.withUnsafeBufferPointer { accounts in  // in place: `accounts[k]` of the array copies it
            for id in plan.markSeen {
                try markSeen.bind(1, today)
                try markSeen.bind(2, id)
                try markSeen.execute()
            }
            for (n, k) in plan.rewritten.enumerated() {
                let statement = plan.rewrittenKeepsIndexedColumns[n] ? updateKeepingIndexed : update
                try accounts[k].bind(to: statement)
                try statement.execute()
            }
        }
        phases.lap("wrote accounts")
    }

    /// The account indexes built again (if the plan dropped them), and the accounts the file no longer lists marked
    /// gone. Needs no account of the plan: they are let go before it.
    private func buildIndexesAndMarkGone(_ db: Database) throws {
        if plan.rebuildsAccountIndexes {
            try AccountIndexes.create(db)
            phases.lap("built the account indexes")
        }
        guard plan.kind == .accountExport else { return }
        let markGone = try BulkStatement(db, sql: "UPDATE account SET gone_since = ? WHERE id = ?")
        for id in plan.gone {
            try markGone.bind(1, today)
            try markGone.bind(2, id)
            try markGone.execute()
        }
        // The accounts left as they were, seen today. A first import has none: at a million accounts this statement
        // read them all for nothing (0.23-0.30 s).
        if !plan.firstImport {
            try db.execute(
                sql: "UPDATE account SET last_seen = ? WHERE gone_since IS NULL AND last_seen <> ?",
                arguments: [today, today])
        }
        phases.lap("marked gone accounts")
    }

    /// The family links the last account export made, as its diff reports them.
    static func lastLinkSummary(_ db: Database) throws -> ImportSummary.LinkSummary? {
        let diff = try String.fetchOne(
            db, sql: "SELECT diff FROM import_run WHERE kind = ? ORDER BY id DESC LIMIT 1",
            arguments: [ExportKind.accountExport.rawValue])
        return diff.flatMap { try? JSONDecoder().decode(ImportSummary.self, from: Data($0.utf8)).links }
    }
}
