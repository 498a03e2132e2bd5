import Foundation
import GRDB
import SQLiteBulk

/// Applies an `ImportPlan` inside the import's write transaction: the accounts, the marks, the search index and the
/// family links. It decides nothing the plan has not said, apart from reusing the last report of the links.
struct ImportExecutor {
    var plan: ImportPlan
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
        let (indexRows, family) = Parallel.background(
            {
                (old: SearchIndex.batch(removed, at: Array(removed.indices)), new: SearchIndex.batch(accounts, at: added))
            },
            then: {
                people.map { FamilyLinks(people: $0) }
            })

        try writeAccounts(db)
        let index = indexRows.wait()
        phases.lap("waited for the index rows")
        // Written and indexed: a million accounts' memory (some 775 MB) back before `CREATE INDEX` sorts their keys
        // and SQLite's cache grows, which then reuse it instead of adding to the peak.
        plan.accounts = []
        try buildIndexesAndMarkGone(db)
        try SearchIndex.apply(db, removing: [index.old], adding: [index.new])
        phases.lap("updated the search index (\(added.count) accounts)")
        if let previousLinks { return previousLinks }
        guard let family = family.wait() else { return ImportSummary.LinkSummary() }
        phases.lap("waited for the family links")
        let links = try FamilyLinks.store(family, db)
        phases.lap("rebuilt family links")
        return links
    }

    /// The new accounts inserted, the changed ones rewritten, the others marked seen.
    private func writeAccounts(_ db: Database) throws {
        let update = try BulkStatement(
            db,
            sql:
                "UPDATE account SET (\(StoredAccount.columns)) = (\(Array(repeating: "?", count: StoredAccount.columnList.count).joined(separator: ","))) WHERE id = ?"
        )
        let markSeen = try BulkStatement(db, sql: "UPDATE account SET gone_since = NULL, last_seen = ? WHERE id = ?")
        if plan.rebuildsAccountIndexes { try AccountIndexes.drop(db) }
        try plan.accounts.withUnsafeBufferPointer { accounts in  // in place: `accounts[k]` of the array copies it
            // The new accounts, in one `INSERT … SELECT` that reads them from here (see RowStream). None can take a
            // stored account's ENT id or login (checked by the plan), so they go in before the changed ones.
            var n = 0
            let added = plan.added
            try RowStream.insert(
                db, into: "account", columns: StoredAccount.columnList + ["id"],
                rows: RowStream(
                    columns: StoredAccount.columnList.count + 1
                ) { row in
                    guard n < added.count else { return false }
                    try accounts[added[n]].bind(to: row)
                    n += 1
                    return true
                })
            for id in plan.markSeen {
                try markSeen.bind(1, today)
                try markSeen.bind(2, id)
                try markSeen.execute()
            }
            for k in plan.rewritten {
                try accounts[k].bind(to: update)
                try update.execute()
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
        try db.execute(
            sql: "UPDATE account SET last_seen = ? WHERE gone_since IS NULL AND last_seen <> ?",
            arguments: [today, today])
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
