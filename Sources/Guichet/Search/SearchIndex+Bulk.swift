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
        let pieces = Parallel.ranges(accounts.count, pieces: Parallel.cores)
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
    /// retains. The texts are read as bytes, and the rows packed from them: a string per word and an array per pair
    /// were 3.7 s of CPU at a million accounts (`perf`, 2 December).
    static func rows(of accounts: UnsafeBufferPointer<StoredAccount>, at positions: some Collection<Int>) -> Batch {
        var batch = Batch()
        var classKeys: [String: [String]] = [:]  // a school has a few hundred class lists: fold each once
        // One account's last-name and first-name words, as ranges of its `name_words` bytes.
        var last: [Range<Int>] = [], first: [Range<Int>] = []
        for k in positions {
            let id = accounts[k].id!
            var (sortKey, searchText, nameWords) = (accounts[k].sortKey, accounts[k].searchText, accounts[k].nameWords)
            sortKey.withUTF8 { sortKey in
                let sortKey = UnsafeRawBufferPointer(sortKey)
                searchText.withUTF8 { text in
                    let text = UnsafeRawBufferPointer(text)
                    var start = 0
                    for i in 0...text.count where i == text.count || text[i] == 0x20 {
                        if i > start {
                            batch.terms.begin()
                            batch.terms.add(UnsafeRawBufferPointer(rebasing: text[start..<i]))
                            batch.terms.end(sortKey: sortKey, id: id)
                        }
                        start = i + 1
                    }
                }
                nameWords.withUTF8 { json in
                    halves(json, last: &last, first: &first)
                    let json = UnsafeRawBufferPointer(json)
                    func pair(_ a: Range<Int>, _ b: Range<Int>) {
                        batch.pairs.begin()
                        batch.pairs.add(UnsafeRawBufferPointer(rebasing: json[a]))
                        batch.pairs.add(byte: SearchIndex.keySeparatorByte)
                        batch.pairs.add(UnsafeRawBufferPointer(rebasing: json[b]))
                        batch.pairs.end(sortKey: sortKey, id: id)
                    }
                    for l in last {
                        for f in first {
                            pair(l, f)
                            pair(f, l)
                        }
                    }
                    for word in last where word.count >= 2 {
                        batch.vocabulary.insert(String(decoding: json[word], as: UTF8.self))
                    }
                    for word in first where word.count >= 2 {
                        batch.vocabulary.insert(String(decoding: json[word], as: UTF8.self))
                    }
                }
            }
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

    /// The last-name and first-name words of a `name_words` value, `[["le","goff","legoff"],["anne"]]`, as ranges of
    /// its bytes (emptied first). Folded words hold only letters and digits, so the JSON has no escapes to undo.
    static func halves(_ json: UnsafeBufferPointer<UInt8>, last: inout [Range<Int>], first: inout [Range<Int>]) {
        last.removeAll(keepingCapacity: true)
        first.removeAll(keepingCapacity: true)
        var depth = 0
        var half = -1
        var wordStart = -1
        for i in json.indices {
            switch json[i] {
            case UInt8(ascii: "["):
                depth += 1
                if depth == 2 { half += 1 }
            case UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: "\""):
                if wordStart >= 0 {
                    if half == 0 { last.append(wordStart..<i) } else if half == 1 { first.append(wordStart..<i) }
                    wordStart = -1
                } else {
                    wordStart = i + 1
                }
            default: break
            }
        }
    }

    /// Deletes the rows of `old` and inserts those of `new`, each table in key order; adds the new name words to the
    /// vocabulary (which never forgets one: a word nobody holds any more finds nothing, and costs nothing).
    static func apply(_ db: Database, removing old: [Batch], adding new: [Batch]) throws {
        // The new words' near-spelling and sound rows computed on one other thread while this one writes the three
        // tables below, SQLite's work, during which the other core was idle. Computed on both cores between the
        // tables and their inserts, the rows of a first import's 59,048 words kept this thread from writing for some
        // 1 s: the search index's phase 5.61-5.85 s before, 4.89-5.16 s after (1M accounts, 3 December, interleaved).
        let words = try unknownWords(new.reduce(into: Set<String>()) { $0.formUnion($1.vocabulary) }, db)
        let tolerance =
            try !words.isEmpty && hasToleranceTables(db)
            ? Parallel.background { toleranceRows(of: words, cores: 1) } : nil
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
        var next = words.makeIterator()
        try RowStream.insert(
            db, "INSERT OR IGNORE", into: "name_vocabulary", columns: ["term"],
            rows: RowStream(columns: 1) { row in
                guard let term = next.next() else { return false }
                row.bind(1, term)
                return true
            })
        if let tolerance { try insert(tolerance.wait(), db) }
    }

    /// `words` that the vocabulary does not hold yet, sorted. Those it holds have their `name_sound` and
    /// `name_deletion` rows already (added with them, never forgotten). The bench's next night's re-import at a million
    /// accounts names 20,805 words, 7,870 of them new: offering the known ones' deletion keys to `INSERT OR IGNORE`
    /// again (a B-tree seek each) took the vocabulary's step from 1.25–1.28 s to 1.52–1.69 s.
    static func unknownWords(_ words: Set<String>, _ db: Database) throws -> [String] {
        guard !words.isEmpty else { return [] }
        let known = try BulkStatement(db, sql: "SELECT 1 FROM name_vocabulary WHERE term = ?")
        return try words.sorted().filter { word in
            try known.bind(1, word)
            var found = false
            try known.forEachRow { _ in found = true }
            return !found
        }
    }
}
