import GRDB

/// Data derived from `account` that a migration must not compute itself: its derivation is live code (`SearchIndex`,
/// `Folding`), which keeps changing after the migration is released, so a released migration that called it would
/// no longer do what it did when it shipped. Such a migration only sets a marker; the live code rebuilds after
/// migrating, with today's derivation — the same rows a fresh import writes.
///
/// Format: the marker is SQLite's `PRAGMA user_version` (a header field GRDB does not use; it is written in the
/// migration's transaction, so it commits or rolls back with it). 0: the derived data is today's. 1: rebuild it.
/// Valid if and only if: the marker is 0 whenever the derived columns of `account` (`sort_key`, `search_text`,
/// `name_words`) and the search index's tables are what `SearchIndex` computes from `account`'s names, logins,
/// aliases and classes; the rebuild and the marker's reset commit in one transaction, so a crash in between leaves
/// the marker set and the next open rebuilds again.
enum DerivedData {
    /// Rebuilds the derived data if a migration marked it stale, once, in one transaction that also clears the mark.
    /// Called by `GuichetDatabase` right after migrating; a no-op (and no write) when nothing is marked.
    static func rebuildIfMarked(_ writer: any DatabaseWriter) throws {
        guard try writer.read({ try marker($0) }) != 0 else { return }
        try writer.write { db in
            // Another process may have rebuilt between the read and this write transaction.
            guard try marker(db) != 0 else { return }
            try recomputeNameColumns(db)
            try SearchIndex.rebuild(db)
            try db.execute(sql: "PRAGMA user_version = 0")
        }
    }

    static func marker(_ db: Database) throws -> Int { try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }

    /// Every account's `sort_key`, `search_text` and `name_words` as the importer derives them today
    /// (`StoredAccount`'s derivation from `SearchIndex.keys`).
    private static func recomputeNameColumns(_ db: Database) throws {
        var columns: [(id: Int64, sortKey: String, text: String, words: String)] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT id, last_name, first_name, login, alias FROM account")
        while let row = try rows.next() {
            let keys = SearchIndex.keys(
                lastName: row["last_name"], firstName: row["first_name"], login: row["login"], alias: row["alias"])
            let words = "[" + JSONText.array(keys.lastWords) + "," + JSONText.array(keys.firstWords) + "]"
            columns.append((row["id"], keys.sortKey, SearchIndex.searchText(keys.terms), words))
        }
        let update = try db.makeStatement(sql: "UPDATE account SET sort_key = ?, search_text = ?, name_words = ? WHERE id = ?")
        for c in columns { try update.execute(arguments: [c.sortKey, c.text, c.words, c.id]) }
    }
}
