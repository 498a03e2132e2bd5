import Foundation
import GRDB
import SQLiteBulk

/// The vocabulary's two companions, for the widened tiers of a search (see `Search`):
/// - `name_sound(code, term)`: each name word under its Phonex code (`Phonex.code`), so a sound-alike is one range;
/// - `name_deletion(key, term)`: each name word of `NearSpelling.deletionMinimumLength` letters or more under every
///   string left when one or two of its letters are deleted, so names two edits away are a few dozen seeks.
/// Like the vocabulary they never forget a word, and hold only what `name_vocabulary` does.
extension SearchIndex {
    /// Adds the rows of `words` (vocabulary words) to both tables, each in key order.
    static func addTolerance(of words: some Collection<String>, _ db: Database) throws {
        // Migrations before v11 rebuild the index without these tables; v11 fills them from the vocabulary.
        guard !words.isEmpty, try db.tableExists("name_sound") else { return }
        let words = Array(words)
        let pieces = Parallel.ranges(words.count, pieces: ProcessInfo.processInfo.activeProcessorCount)
        // Each piece's rows sorted where they were made, on every core, then merged as they are inserted: sorting
        // them all in one array held three copies of `name_deletion`'s rows (the pieces, the joined ones, the sorted
        // ones: some 4M pairs at a million accounts, 127 MB a copy), at the import's peak.
        let computed = words.withUnsafeBufferPointer { buffer in
            let words = Parallel.Borrowed(buffer)
            return Parallel.map(pieces.count) { k in
                var sounds: [(String, String)] = []
                var deletions: [(String, String)] = []
                for word in words.buffer[pieces[k]] {
                    let code = Phonex.code(word)
                    if !code.isEmpty { sounds.append((code, word)) }
                    if word.unicodeScalars.count >= NearSpelling.deletionMinimumLength {
                        for key in NearSpelling.deletions(of: word) { deletions.append((key, word)) }
                    }
                }
                sounds.sort { ($0.0, $0.1) < ($1.0, $1.1) }
                deletions.sort { ($0.0, $0.1) < ($1.0, $1.1) }
                return (sounds, deletions)
            }
        }
        for (table, pieces) in [("name_sound", computed.map(\.0)), ("name_deletion", computed.map(\.1))] {
            var at = [Int](repeating: 0, count: pieces.count)
            let key = table == "name_sound" ? "code" : "key"
            try RowStream.insert(
                db, "INSERT OR IGNORE", into: table, columns: [key, "term"],
                rows: RowStream(columns: 2) { row in
                    var best = -1
                    for k in pieces.indices where at[k] < pieces[k].count {
                        let (a, b) = (pieces[k][at[k]], best < 0 ? nil : pieces[best][at[best]])
                        if let b, (b.0, b.1) <= (a.0, a.1) { continue }
                        best = k
                    }
                    guard best >= 0 else { return false }
                    let (key, term) = pieces[best][at[best]]
                    at[best] += 1
                    row.bind(1, key)
                    row.bind(2, term)
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
