import Foundation
import GRDB
import SQLiteBulk

/// The index rows of many accounts at once, as the importer writes them: computed on every core, sorted in each
/// table's key order, then written by the one thread that holds the database.
extension SearchIndex {
    /// The rows some accounts put in the index tables.
    struct Batch: Sendable {
        let terms = PackedRows()
        let pairs = PackedRows()
        let classes = PackedRows()
        /// Their name words of 2 letters or more: near spellings look up names one letter away from a word of 5+
        /// letters, and two typed prefixes are expanded into the names they start ("nat" → nathan, nathanaël).
        /// Logins and their words are left out: they are matched exactly or by prefix, never by near spelling.
        var vocabulary = Set<String>()
    }

    /// The rows of `accounts`, cut into one piece per core; each batch comes back sorted.
    static func batches(_ accounts: [StoredAccount]) -> [Batch] {
        let pieces = Parallel.ranges(accounts.count, pieces: ProcessInfo.processInfo.activeProcessorCount)
        return accounts.withUnsafeBufferPointer { buffer in
            let accounts = Parallel.Borrowed(buffer)
            return Parallel.map(pieces.count) { k in rows(of: accounts.buffer, at: pieces[k]) }
        }
    }

    /// The rows of `accounts[k]` for every `k` of `positions`, in one batch, computed on this thread from the last
    /// position back (the importer's writing thread goes forward through the same accounts meanwhile).
    static func batch(_ accounts: [StoredAccount], at positions: [Int]) -> Batch {
        accounts.withUnsafeBufferPointer { rows(of: $0, at: positions.reversed()) }
    }

    /// The rows of `accounts[k]` for every `k` of `positions`, from the columns the importer computed (`search_text`,
    /// `name_words`, `classes`). The accounts are read in place: iterating an array copies each one, some twenty
    /// retains.
    static func rows(of accounts: UnsafeBufferPointer<StoredAccount>, at positions: some Collection<Int>) -> Batch {
        var batch = Batch()
        var classKeys: [String: [String]] = [:]  // a school has a few hundred class lists: fold each once
        for k in positions {
            let id = accounts[k].id!
            let sortKey = accounts[k].sortKey
            for term in accounts[k].searchText.utf8.split(separator: 0x20) {
                batch.terms.begin()
                batch.terms.add(utf8: Substring(term))
                batch.terms.end(sortKey: sortKey, id: id)
            }
            let (last, first) = halves(accounts[k].nameWords)
            for l in last {
                for f in first {
                    for (a, b) in [(l, f), (f, l)] {
                        batch.pairs.begin()
                        batch.pairs.add(utf8: a)
                        batch.pairs.add(byte: 1)
                        batch.pairs.add(utf8: b)
                        batch.pairs.end(sortKey: sortKey, id: id)
                    }
                }
            }
            for word in last + first where word.utf8.count >= 2 { batch.vocabulary.insert(word) }
            let classes = accounts[k].classes
            let keys =
                classKeys[classes]
                ?? {
                    let names = (try? JSONDecoder().decode([String].self, from: Data(classes.utf8))) ?? []
                    var keys: [String] = []
                    for key in names.map(Folding.key) where !key.isEmpty && !keys.contains(key) { keys.append(key) }
                    classKeys[classes] = keys
                    return keys
                }()
            for key in keys {
                batch.classes.begin()
                batch.classes.add(utf8: key)
                batch.classes.end(sortKey: sortKey, id: id)
            }
        }
        batch.terms.sort()
        batch.pairs.sort()
        batch.classes.sort()
        return batch
    }

    /// The last-name and first-name words of a `name_words` value, `[["le","goff","legoff"],["anne"]]`. Folded words
    /// hold only letters and digits, so the JSON has no escapes to undo.
    static func halves(_ nameWords: String) -> (last: [String], first: [String]) {
        var halves: [[String]] = []
        var depth = 0
        var wordStart: String.UTF8View.Index?
        let utf8 = nameWords.utf8
        for i in utf8.indices {
            switch utf8[i] {
            case UInt8(ascii: "["):
                depth += 1
                if depth == 2 { halves.append([]) }
            case UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: "\""):
                if let start = wordStart {
                    halves[halves.count - 1].append(String(nameWords[start..<i]))
                    wordStart = nil
                } else {
                    wordStart = utf8.index(after: i)
                }
            default: break
            }
        }
        return (halves.first ?? [], halves.count > 1 ? halves[1] : [])
    }

    /// Deletes the rows of `old` and inserts those of `new`, each table in key order; adds the new name words to the
    /// vocabulary (which never forgets one: a word nobody holds any more finds nothing, and costs nothing).
    static func apply(_ db: Database, removing old: [Batch], adding new: [Batch]) throws {
        let tables = [
            ("search_term", "term", \Batch.terms), ("name_pair", "key", \Batch.pairs),
            ("account_class", "class_key", \Batch.classes)
        ]
        for (table, key, rows) in tables where old.contains(where: { $0[keyPath: rows].count > 0 }) {
            let delete = try BulkStatement(db, sql: "DELETE FROM \(table) WHERE \(key) = ? AND sort_key = ? AND account_id = ?")
            try PackedRows.run(delete, forEachRowOf: old.map { $0[keyPath: rows] })
        }
        for (table, key, rows) in tables where new.contains(where: { $0[keyPath: rows].count > 0 }) {
            try PackedRows.insert(new.map { $0[keyPath: rows] }, into: table, key: key, db)
        }
        let words = new.reduce(into: Set<String>()) { $0.formUnion($1.vocabulary) }
        var next = words.sorted().makeIterator()
        try RowStream.insert(
            db, "INSERT OR IGNORE", into: "name_vocabulary", columns: ["term"],
            rows: RowStream(columns: 1) { row in
                guard let term = next.next() else { return false }
                row.bind(1, term)
                return true
            })
        try addTolerance(of: words, db)
    }
}
