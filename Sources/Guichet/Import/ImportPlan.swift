import SQLiteBulk

/// What an import will do, computed from the file's rows and what is stored, before anything is written: the pure
/// half of an import (`ImportExecutor` is the other). Made without a database, so a test can state what a file does
/// to a set of stored accounts and check it directly.
///
/// Made in two steps, because only the accounts a row changes are read whole: `ImportPlan.match` says what becomes of
/// each row (`Matching.toLoad`: the stored rows to read), then `ImportPlan(matching:…)` merges them.
struct ImportPlan: Sendable {
    /// What becomes of each row of the file, in file order.
    enum RowFate: Sendable, Equatable {
        /// A new account, with this id.
        case add(id: Int64)
        /// The stored account at this position of `StoredAccounts`, which the row leaves as it is.
        case keep(Int)
        /// The stored account at this position, merged with the row.
        case merge(Int)
    }

    /// The first step: each row matched with a stored account (or none).
    struct Matching: Sendable {
        var fates: [RowFate]
        /// The ids of the stored accounts to read whole (those of `.merge`), in file order.
        var toLoad: [Int64]
        /// `seen[s]`: a row names the stored account at position `s`.
        var seen: [Bool]
    }

    /// How the report counts one written account.
    enum Outcome: Sendable, Equatable {
        case added, changed, activated, back, unchanged
    }

    /// What to do with the family links.
    enum LinkWork: Sendable, Equatable {
        /// A publipostage list says nothing of families: the links stay.
        case none
        /// Every row is the one the last import read and nobody left or came back: the links are what that import
        /// made, and so is its report of them.
        case keepPrevious
        /// Rebuilt from the rows' display names (`FamilyLinks`).
        case rebuild
    }

    let kind: ExportKind
    /// Every account the import writes whole, as it is now, in file order: `added` and `rewritten` say which are new.
    var accounts: [StoredAccount]
    /// The row of the file each of `accounts` comes from.
    var rowOf: [Int]
    /// How each of `accounts` is counted.
    var outcomes: [Outcome]
    /// Positions in `accounts` of the new accounts (inserted), and of the stored ones rewritten (updated).
    var added: [Int] = []
    /// The rows of the file that make new accounts, in file order, when the plan leaves those accounts out of
    /// `accounts` (`newAccountsLater`): the executor makes each one as it writes it (`newAccount(from:id:today:)`), a
    /// chunk at a time, so that a first import never holds a million merged accounts at once (some 775 MB). Empty
    /// otherwise: the new accounts are in `accounts`, at `added`. Their index rows are always written.
    var newRows: [Int] = []
    var rewritten: [Int] = []
    /// For each of `rewritten`, whether the account keeps its stored values of the indexed columns
    /// (`StoredAccount.indexedColumns`): its update leaves them out.
    var rewrittenKeepsIndexedColumns: [Bool] = []
    /// Stored accounts a row leaves as they are, but which must be marked seen today (back in the feed, or listed by
    /// a publipostage list on another day). An account export marks every other present account seen in bulk.
    var markSeen: [Int64] = []
    /// Stored accounts that are no longer in the feed (account export only), to mark gone.
    var gone: [Int64] = []
    /// The index rows to delete: those of these accounts as they were stored.
    var reindexOld: [StoredAccount] = []
    /// The index rows to insert: those of these positions in `accounts`.
    var reindexNew: [Int] = []
    /// The account id of each row of the file.
    var ids: [Int64]
    var links: LinkWork
    /// The report's counts (the links' part aside, which the executor fills in).
    var counts = Counts()
    /// Build the account indexes after the insert rather than keep them up to date (see `AccountIndexes`).
    var rebuildsAccountIndexes: Bool
    /// No account was stored before: every account is written today, none is left to mark seen in bulk.
    var firstImport: Bool

    struct Counts: Sendable, Equatable {
        var added = 0, changed = 0, activated = 0, goneFromFeed = 0, backInFeed = 0, unchanged = 0
    }
}

extension ImportPlan {
    /// Step one: each row matched with the stored account it describes, if any. Throws when a row's login belongs to
    /// another stored account.
    static func match(_ rows: [ImportedAccount], with stored: inout StoredAccounts, file: String) throws -> Matching {
        var matching = Matching(fates: [], toLoad: [], seen: [Bool](repeating: false, count: stored.count))
        matching.fates.reserveCapacity(rows.count)
        var nextId = stored.maxId + 1
        // The rows whose login must be free (new accounts, and stored ones whose login changed), checked together
        // once every row is matched; the first of them in file order that fails throws, as a check per row did.
        var loginChecks: [(row: Int, position: Int?)] = []
        try rows.withUnsafeBufferPointer { rows in  // in place: iterating the array copies each row
            for i in rows.indices {
                guard let s = stored.index(of: rows[i]) else {
                    loginChecks.append((i, nil))
                    matching.fates.append(.add(id: nextId))
                    nextId += 1
                    continue
                }
                matching.seen[s] = true
                if stored.fingerprints[s] == rows[i].fingerprint {
                    matching.fates.append(.keep(s))
                } else {
                    if rows[i].login.lowercased() != stored.logins[s].lowercased() { loginChecks.append((i, s)) }
                    matching.fates.append(.merge(s))
                    matching.toLoad.append(stored.ids[s])
                }
            }
            try stored.checkLoginsAreFree(loginChecks, in: rows, file: file)
        }
        return matching
    }

    /// The account id of each row of the file, as `matching` gives them.
    static func ids(_ fates: [RowFate], stored: StoredAccounts) -> [Int64] {
        fates.map { fate in
            switch fate {
            case .add(let id): id
            case .keep(let s), .merge(let s): stored.ids[s]
            }
        }
    }

    /// What to do with the family links, known once the rows are matched: the importer numbers the family names
    /// before it merges, so that the rows the plan leaves as they are can be let go first.
    static func linkWork(kind: ExportKind, stored: StoredAccounts, matching: Matching) -> LinkWork {
        guard kind == .accountExport else { return .none }
        let noneGone = stored.gone.indices.allSatisfy { matching.seen[$0] || stored.gone[$0] }
        let sameRows =
            noneGone && matching.fates.allSatisfy { if case .keep(let s) = $0 { !stored.gone[s] } else { false } }
        return sameRows ? .keepPrevious : .rebuild
    }

    /// The account a row makes when it matches no stored account, with the id `match` gave it, first seen `today`.
    static func newAccount(from row: ImportedAccount, id: Int64, today: String) -> StoredAccount {
        var account = StoredAccount().merged(with: row)
        (account.id, account.firstSeen, account.lastSeen) = (id, today, today)
        account.fingerprint = row.fingerprint
        return account
    }

    /// Step two: the plan, given the whole stored rows of `matching.toLoad` (`loaded`, by id), for an import on the
    /// day `today`. The accounts are merged on every core; with `newAccountsLater`, the new ones are left to the
    /// executor (`newRows`). `slots`, when not empty, gives the position in `rows` of each row of the file that the
    /// plan reads (the importer keeps only the rows it does not leave as they are: `Importer.Rows.slots`).
    init(
        rows: [ImportedAccount], slots: [Int32] = [], kind: ExportKind, stored: StoredAccounts, matching: Matching,
        loaded: StoredAccounts.Loaded, today: String, newAccountsLater: Bool = false
    ) {
        self.kind = kind
        let fates = matching.fates
        var rowOf: [Int] = []
        // The stored id of each written account, nil for a new one: not `[StoredAccount?]`, whose 400-byte slots,
        // nil or not, made a first import's million-row merge peak 400 MB higher (1,830 MB against 1,433 after it).
        var oldIds: [Int64?] = []
        var newRows: [Int] = []
        for (i, fate) in fates.enumerated() {
            switch fate {
            case .keep: continue
            case .add where newAccountsLater: newRows.append(i); continue
            case .add: oldIds.append(nil)
            case .merge(let s): oldIds.append(stored.ids[s])
            }
            rowOf.append(i)
        }
        let (before, positions) = (oldIds, rowOf)
        let gone = stored.gone
        // The accounts as they are now, then how each is counted, computed on every core.
        let accounts: [StoredAccount] = rows.withUnsafeBufferPointer { buffer in
            let rows = Parallel.Borrowed(buffer)
            return Parallel.map(positions.count) { k in
                let i = positions[k]
                let row = Importer.Rows.place(of: i, slots)
                guard let old = before[k].map({ loaded[$0]! }) else {
                    guard case .add(let id) = fates[i] else { preconditionFailure("a row without a stored account") }
                    return Self.newAccount(from: rows[row], id: id, today: today)
                }
                var account = old.merged(with: rows[row])
                (account.lastSeen, account.goneSince, account.fingerprint) = (today, nil, rows[row].fingerprint)
                if !old.isActivated && account.isActivated { account.activatedSince = today }
                return account
            }
        }
        outcomes = accounts.withUnsafeBufferPointer { buffer in
            let accounts = Parallel.Borrowed(buffer)
            return Parallel.map(positions.count) { k in
                guard let old = before[k].map({ loaded[$0]! }) else { return .added }
                guard case .merge(let s) = fates[positions[k]] else { preconditionFailure("a kept row rewritten") }
                let account = accounts[k]
                return gone[s]
                    ? .back
                    : !old.isActivated && account.isActivated
                        ? .activated
                        : !account.sameContent(as: old) ? .changed : .unchanged
            }
        }
        self.accounts = accounts
        self.rowOf = rowOf
        self.newRows = newRows
        ids = Self.ids(fates, stored: stored)

        counts.added = newRows.count
        for k in accounts.indices {
            switch outcomes[k] {
            case .added: counts.added += 1; added.append(k)
            case .changed: counts.changed += 1; rewritten.append(k)
            case .activated: counts.activated += 1; rewritten.append(k)
            case .back: counts.backInFeed += 1; rewritten.append(k)
            case .unchanged: counts.unchanged += 1; rewritten.append(k)
            }
            if let old = oldIds[k].map({ loaded[$0]! }) {
                rewrittenKeepsIndexedColumns.append(accounts[k].sameIndexedColumns(as: old))
                if accounts[k].sameIndex(as: old) { continue }
                reindexOld.append(old)
            }
            reindexNew.append(k)
        }
        for fate in fates {
            guard case .keep(let s) = fate else { continue }
            if gone[s] { counts.backInFeed += 1 } else { counts.unchanged += 1 }
            // `last_seen` of an account export is set in bulk; a publipostage list only speaks for its own rows.
            if gone[s] || (kind == .publipostage && stored.lastSeen[s] != today) { markSeen.append(stored.ids[s]) }
        }
        if kind == .accountExport {
            self.gone = stored.ids.indices.filter { !matching.seen[$0] && !gone[$0] }.map { stored.ids[$0] }
            counts.goneFromFeed = self.gone.count
        }
        links = Self.linkWork(kind: kind, stored: stored, matching: matching)
        let addedCount = added.count + newRows.count
        rebuildsAccountIndexes = addedCount >= 50_000 && addedCount > stored.count
        firstImport = stored.count == 0
    }
}
