import Foundation
import GRDB
import SQLiteBulk

/// The vocabulary's two companions, for the widened tiers of a search (see `Search`):
/// - `name_sound(code, term)`: each name word under its Phonex code (`Phonex.code`), so a sound-alike is one range;
/// - `name_deletion(key, term)`: each name word of `NearSpelling.deletionMinimumLength` letters or more under every
///   string left when one of its letters is deleted, or two from a name of 9 letters or more
///   (`NearSpelling.deletionKeys`), so names two edits away are a few dozen seeks.
/// Like the vocabulary they never forget a word, and hold only what `name_vocabulary` does.
extension SearchIndex {
    /// Whether the database has both tables: migrations before v11 rebuild the index without them; v11 fills them
    /// from the vocabulary.
    static func hasToleranceTables(_ db: Database) throws -> Bool {
        try db.tableExists("name_sound")
    }

    /// Adds the rows of `words` (vocabulary words) to both tables, each in key order.
    static func addTolerance(of words: some Collection<String>, _ db: Database) throws {
        guard !words.isEmpty, try hasToleranceTables(db) else { return }
        try insert(toleranceRows(of: Array(words)), db)
    }

    /// The `name_sound` and `name_deletion` rows of some words, each table's in sorted pieces.
    struct ToleranceRows: Sendable {
        var sounds: [PackedRows] = []
        var deletions: [PackedRows] = []
    }

    /// The rows of `words`, in two pieces per core computed on every core, or, with `cores` 1, on this thread only
    /// (the importer computes them on its other thread while this one writes).
    static func toleranceRows(of words: [String], cores: Int = Parallel.cores) -> ToleranceRows {
        // Two pieces per core: each piece's sort holds a copy of its rows for a moment.
        let pieces = Parallel.ranges(words.count, pieces: 2 * Parallel.cores)
        // Each piece's rows sorted where they were made, then merged as they are inserted: sorting them all in one
        // array held three copies of `name_deletion`'s rows (the pieces, the joined ones, the sorted ones: some 4M
        // pairs at a million accounts, 127 MB a copy), at the import's peak. Packed as (key, term) rows and sorted as
        // bytes (`PackedRows`, the id unused): 4M pairs of strings sorted and merged with `<` were 1.2 s of CPU at a
        // million accounts (`perf`, 2 December); bytes are also SQLite's order for the inserts.
        let computed = words.withUnsafeBufferPointer { buffer in
            let words = Parallel.Borrowed(buffer)
            let piece: @Sendable (Int) -> (PackedRows, PackedRows) = { k in
                let (sounds, deletions) = (PackedRows(), PackedRows(capacity: 1 << 20))
                for word in words.buffer[pieces[k]] {
                    let code = Phonex.code(word)
                    if !code.isEmpty {
                        sounds.begin()
                        sounds.add(utf8: code)
                        sounds.end(sortKey: word, id: 0)
                    }
                    if word.unicodeScalars.count >= NearSpelling.deletionMinimumLength {
                        for key in NearSpelling.deletionKeys(of: word) {
                            deletions.begin()
                            deletions.add(utf8: key)
                            deletions.end(sortKey: word, id: 0)
                        }
                    }
                }
                sounds.sort()
                deletions.sort()
                return (sounds, deletions)
            }
            return cores > 1 ? Parallel.map(pieces.count, piece) : pieces.indices.map(piece)
        }
        return ToleranceRows(sounds: computed.map(\.0), deletions: computed.map(\.1))
    }

    /// Inserts `rows` into both tables, each in key order.
    static func insert(_ rows: ToleranceRows, _ db: Database) throws {
        for (table, key, pieces) in [("name_sound", "code", rows.sounds), ("name_deletion", "key", rows.deletions)] {
            var merged = PackedRows.Merged(pieces)
            try RowStream.insert(
                db, "INSERT OR IGNORE", into: table, columns: [key, "term"],
                rows: RowStream(columns: 2) { row in
                    guard let (key, term, _) = merged.next() else { return false }
                    row.bind(1, borrowing: key)
                    row.bind(2, borrowing: term)
                    return true
                })
        }
    }

    /// The sound-alike tables from the whole vocabulary: the migration that creates them.
    static func fillTolerance(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM name_sound; DELETE FROM name_deletion")
        try addTolerance(of: String.fetchAll(db, sql: "SELECT term FROM name_vocabulary"), db)
    }
}
