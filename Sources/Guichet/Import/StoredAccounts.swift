import GRDB
import SQLiteBulk

/// The accounts already stored, as the importer matches the file's rows with them: the few columns it needs for
/// every account, read once, column by column. Whole rows are read only for the accounts a row changes.
struct StoredAccounts {
    private(set) var ids: [Int64] = []
    private(set) var logins: [String] = []
    private(set) var gone: [Bool] = []
    private(set) var lastSeen: [String] = []
    private(set) var fingerprints: [Int64?] = []
    private(set) var entIds: [String?] = []
    private(set) var maxId: Int64 = 0
    private let keyedByEntId: Bool
    private var positionByKey: [String: Int] = [:]

    var count: Int { ids.count }

    /// Reads what is stored. Accounts are matched by ENT id when the file has that column, else by login (an
    /// account stored without an ENT id is matched by login either way).
    static func read(_ db: Database, keyedByEntId: Bool) throws -> StoredAccounts {
        var stored = StoredAccounts(keyedByEntId: keyedByEntId)
        // Sized once: ids are given in sequence (`ImportPlan.match`) and accounts are never deleted, so the largest id
        // is their count. Grown from empty, the dictionary of a million keys was rehashed some twenty times, each time
        // into new pages the kernel had to clear (`perf` of a re-import at a million accounts, 3 December:
        // `clear_page_erms` was a third of this phase; the phase 1.53-1.75 s before, 1.09-1.15 s after).
        stored.reserveCapacity(Int(try Int64.fetchOne(db, sql: "SELECT max(id) FROM account") ?? 0))
        let select = try BulkStatement(
            db,
            sql: """
                SELECT id, ent_id, login, gone_since IS NOT NULL, last_seen, import_fingerprint FROM account
                """)
        try select.forEachRow { row in
            stored.append(
                id: row.int64(0), entId: row.text(1), login: row.text(2) ?? "", gone: row.int64(3) != 0,
                lastSeen: row.text(4) ?? "", fingerprint: row.isNull(5) ? nil : row.int64(5))
        }
        return stored
    }

    /// The stored accounts as `accounts` say: what a test of the import's plan starts from, without a database.
    init(_ accounts: [StoredAccount], keyedByEntId: Bool) {
        self.init(keyedByEntId: keyedByEntId)
        for a in accounts {
            append(
                id: a.id!, entId: a.entId, login: a.login, gone: a.goneSince != nil, lastSeen: a.lastSeen,
                fingerprint: a.fingerprint)
        }
    }

    private mutating func append(
        id: Int64, entId: String?, login: String, gone: Bool, lastSeen: String,
        fingerprint: Int64?
    ) {
        let key = keyedByEntId ? (entId ?? "login:" + login.lowercased()) : login.lowercased()
        positionByKey[key] = ids.count
        ids.append(id)
        entIds.append(entId)
        logins.append(login)
        self.gone.append(gone)
        self.lastSeen.append(lastSeen)
        fingerprints.append(fingerprint)
        maxId = max(maxId, id)
    }

    private init(keyedByEntId: Bool) {
        self.keyedByEntId = keyedByEntId
    }

    private mutating func reserveCapacity(_ n: Int) {
        guard n > 0 else { return }
        ids.reserveCapacity(n)
        logins.reserveCapacity(n)
        gone.reserveCapacity(n)
        lastSeen.reserveCapacity(n)
        fingerprints.reserveCapacity(n)
        entIds.reserveCapacity(n)
        positionByKey.reserveCapacity(n)
    }

    /// The position of the stored account `row` describes, if any.
    func index(of row: ImportedAccount) -> Int? {
        positionByKey[keyedByEntId ? row.entId! : row.login.lowercased()]
    }

    /// Throws for the first of `checks` (in file order) whose row's login another stored account than the one at
    /// its position (nil: a new account) holds, in any case: the ENT never gives one login to two accounts, so the
    /// file or the database is not what it seems. One pass over the stored logins, looking up only the few logins to
    /// check: a dictionary of every stored login (a million lower-cased strings) was some 100 MB held during the match
    /// of a next night's re-import, at its peak. As before, when several stored accounts share a login in different
    /// cases, the last of them is its owner.
    func checkLoginsAreFree(
        _ checks: [(row: Int, position: Int?)], in rows: UnsafeBufferPointer<ImportedAccount>, file: String
    ) throws(ImportError) {
        guard !ids.isEmpty, !checks.isEmpty else { return }
        var owners: [String: Int?] = [:]
        owners.reserveCapacity(checks.count)
        for check in checks { owners[rows[check.row].login.lowercased()] = .some(nil) }
        for (k, login) in logins.enumerated() {
            let key = login.lowercased()
            if owners[key] != nil { owners[key] = k }
        }
        for check in checks {
            let row = rows[check.row]
            if let owner = owners[row.login.lowercased()] ?? nil, owner != check.position {
                throw ImportError(
                    file: file, line: row.line,
                    problem: .loginTakenByAnotherAccount(login: row.login, entId: entIds[owner] ?? "-"))
            }
        }
    }

    /// Lets go of what only the match needs (the keys that find an account, the logins, ENT ids and fingerprints),
    /// keeping what the merge reads (`ids`, `gone`, `lastSeen`, `count`): on a million stored accounts, most of the
    /// some 285 MB they take, freed before the changed rows are read whole and merged.
    mutating func keepOnlyWhatTheMergeNeeds() {
        positionByKey = [:]
        logins = []
        entIds = []
        fingerprints = []
    }

    /// Whole stored rows by id: the rows side by side and a dictionary of their positions. A dictionary of the rows
    /// themselves has a 400-byte slot per bucket, nearly half of them empty: some 50 MB more at the merge of a next
    /// night's million-row re-import (131,165 rows).
    struct Loaded: Sendable {
        private var rows: [StoredAccount] = []
        private var positionOf: [Int64: Int] = [:]

        init(capacity: Int = 0) {
            rows.reserveCapacity(capacity)
            positionOf.reserveCapacity(capacity)
        }

        /// What a test of the plan hands it.
        init(_ rows: [Int64: StoredAccount]) {
            self.init(capacity: rows.count)
            for (id, row) in rows { self[id] = row }
        }

        subscript(id: Int64) -> StoredAccount? {
            get { positionOf[id].map { rows[$0] } }
            set {
                guard let newValue else { preconditionFailure("a loaded row is never removed") }
                if let p = positionOf[id] {
                    rows[p] = newValue
                } else {
                    positionOf[id] = rows.count
                    rows.append(newValue)
                }
            }
        }
    }

    /// The whole stored rows of `ids`: one look-up each when they are few, one pass over the table when they are many.
    /// Read through SQLite's C API (`BulkStatement`), each column by its place: through GRDB's rows, each read by its
    /// name, the pass over a million accounts for a next night's 131,165 took 2.11-2.31 s, 1.76-1.95 s now (most of
    /// it is reading the table's pages: the changed accounts are spread over nearly all of them).
    func load(_ wanted: [Int64], _ db: Database) throws -> Loaded {
        var out = Loaded(capacity: wanted.count)
        if wanted.count * 10 < ids.count {
            let select = try BulkStatement(db, sql: "SELECT \(StoredAccount.selectColumns) FROM account WHERE id = ?")
            for id in wanted {
                try select.bind(1, id)
                try select.forEachRow { out[id] = StoredAccount($0) }
            }
        } else {
            let wantedSet = Set(wanted)
            let select = try BulkStatement(db, sql: "SELECT \(StoredAccount.selectColumns) FROM account")
            try select.forEachRow { row in
                let id = row.int64(0)
                if wantedSet.contains(id) { out[id] = StoredAccount(row) }
            }
        }
        return out
    }
}
