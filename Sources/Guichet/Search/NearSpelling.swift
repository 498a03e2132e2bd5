import GRDB

/// Names one letter away from a typed word: one wrong, missing or extra letter (or two neighbours swapped).
///
/// Every spelling one edit away is generated and the vocabulary is asked which are names: a few hundred seeks in a
/// B-tree of a few hundred pages, about 0.1 ms. (Ranges of the names that start with the word's first half or end
/// with its second half were measured at 1.2 ms: a 5-letter word's half is 2 letters, and "de" starts 4,500 names.)
/// The letters tried are those of the folded Latin alphabet, which is what names fold to, and the word's own.
enum NearSpelling {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz".unicodeScalars)

    static func alternatives(of word: String, _ db: Database) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT term FROM name_vocabulary WHERE term IN (SELECT value FROM json_each(?)) ORDER BY term"),
                            arguments: [WordMatch.jsonList(variants(of: word))])
    }

    /// Every spelling one substitution, deletion, insertion or swap of neighbours away from `word` (a few repeated).
    /// Built by concatenating a prefix, a letter and a suffix of the word: names are short enough for Swift's small
    /// strings, so this allocates little.
    static func variants(of word: String) -> [String] {
        let letters = Array(word.unicodeScalars)
        let string = { (scalars: ArraySlice<Unicode.Scalar>) in String(String.UnicodeScalarView(scalars)) }
        let prefixes = (0...letters.count).map { string(letters[..<$0]) }
        let suffixes = (0...letters.count).map { string(letters[$0...]) } + [""]
        var extra = Set(letters)
        extra.subtract(alphabet)
        let tried = (alphabet + extra.sorted { $0.value < $1.value }).map { String($0) }
        var out: [String] = []
        out.reserveCapacity((2 * letters.count + 1) * (tried.count + 1))
        for i in letters.indices {
            out.append(prefixes[i] + suffixes[i + 1])                                                   // missing
            if i + 1 < letters.count && letters[i] != letters[i + 1] {
                out.append(prefixes[i] + String(letters[i + 1]) + String(letters[i]) + suffixes[i + 2])   // swapped
            }
            let own = String(letters[i])
            for c in tried where c != own { out.append(prefixes[i] + c + suffixes[i + 1]) }             // wrong
        }
        for i in 0...letters.count {
            for c in tried { out.append(prefixes[i] + c + suffixes[i]) }                                // extra
        }
        return out
    }
}
