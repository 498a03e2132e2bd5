import GRDB

/// Names one letter away from a typed word: one wrong, missing or extra letter (or two neighbours swapped).
///
/// A single edit leaves either the word's first half or its second half intact, so the candidates are the
/// vocabulary's words that start with the first half (a range of `name_vocabulary`) or end with the second half (a
/// range of `name_vocabulary_reversed`); each is then checked exactly.
enum NearSpelling {
    static let maximumCandidates = 4000

    static func alternatives(of word: String, _ db: Database) throws -> [String] {
        let letters = Array(word)
        let half = letters.count / 2
        let head = String(letters[..<half])
        let tailReversed = String(letters[half...].reversed())
        var found = Set<String>()
        let forward = try String.fetchAll(
            db.cachedStatement(sql: "SELECT term FROM name_vocabulary WHERE term >= ? AND term < ? LIMIT \(maximumCandidates)"),
            arguments: [head, head + WordMatch.highest])
        for term in forward where isOneEditAway(Array(term), letters) { found.insert(term) }
        let backward = try String.fetchAll(
            db.cachedStatement(sql: "SELECT term FROM name_vocabulary_reversed WHERE term >= ? AND term < ? LIMIT \(maximumCandidates)"),
            arguments: [tailReversed, tailReversed + WordMatch.highest])
        for reversed in backward {
            let term = Array(reversed.reversed())
            if isOneEditAway(term, letters) { found.insert(String(term)) }
        }
        found.remove(word)
        return found.sorted()
    }

    /// True when `a` and `b` differ by exactly one substitution, insertion, deletion or adjacent swap.
    static func isOneEditAway(_ a: [Character], _ b: [Character]) -> Bool {
        if abs(a.count - b.count) > 1 || a == b { return false }
        var i = 0
        while i < a.count && i < b.count && a[i] == b[i] { i += 1 }
        if a.count == b.count {
            if a[(i + 1)...] == b[(i + 1)...] { return true }   // one substitution
            return i + 1 < a.count && a[i] == b[i + 1] && a[i + 1] == b[i] && a[(i + 2)...] == b[(i + 2)...]
        }
        let (longer, shorter) = a.count > b.count ? (a, b) : (b, a)
        return longer[(i + 1)...] == shorter[i...]
    }
}
