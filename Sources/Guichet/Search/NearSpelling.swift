import GRDB

/// Names a few letters away from a typed word: each edit a wrong, missing or extra letter, or two neighbours swapped
/// (the "optimal string alignment" Damerau distance). One edit is allowed when the longer of the typed word and the
/// name has 5 letters or more, two when it has 9 or more: "baon" finds Baron, "plltier" Pelletier, "desainteyupexy"
/// Desaintexupery; shorter words none.
///
/// One edit, to a name of fewer than 7 letters: every such spelling one edit away is generated and the vocabulary is
/// asked which are names: a few hundred seeks in a B-tree of a few hundred pages, about 0.1 ms. (Ranges of the names that start with the word's first
/// half or end with its second half were measured at 1.2 ms: a 5-letter word's half is 2 letters, and "de" starts
/// 4,500 names.) The letters tried are those of the folded Latin alphabet, which is what names fold to, and the
/// word's own.
///
/// Two edits: generated the same way they would be some 250,000 spellings. Instead `name_deletion` holds, for each
/// name of 7 letters or more, the strings left when one or two of its letters are deleted: two spellings within two
/// edits of each other leave a common string after at most two deletions each (a wrong letter is deleted on both
/// sides, a missing one on one side, a swap is one deletion each side), so the names sharing a key with the word's
/// own deletions are a superset, checked one by one with `distance`. Names of 7 letters or more one edit away are
/// found the same way.
enum NearSpelling {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz".unicodeScalars)

    /// How many edits may separate a typed word and a name, the longer of the two having `length` letters.
    static func allowedEdits(_ length: Int) -> Int { length >= 9 ? 2 : length >= 5 ? 1 : 0 }

    /// The vocabulary's names within the allowed edits of `word`, the word itself excluded, sorted.
    ///
    /// Names shorter than `deletionMinimumLength` are generated spellings looked up in the vocabulary (one edit);
    /// longer ones are read from `name_deletion`, within one edit or two, from a word of 6 letters on. The spellings
    /// of a 7- or 8-letter word were some 400 seeks, of which those of 7 letters or more found nothing the
    /// deletions did not: generated only when shorter, they are at most 7.
    static func alternatives(of word: String, _ db: Database) throws -> [String] {
        let length = word.unicodeScalars.count
        var out = Set<String>()
        // A word of 4 letters may be a 5-letter name with one letter missing; shorter ones are never widened.
        if length >= 4 && length < 9 {
            if let shorter = variantList(of: word, shorterThan: deletionMinimumLength) {
                // Each spelling a seek, in the list's order: `term IN (SELECT value FROM json_each(?))` first copied
                // the list into a temporary index (sorted, each once), which cost about as much as the seeks.
                let oneAway = try String.fetchAll(
                    db.cachedStatement(
                        sql: "SELECT v.term FROM json_each(?) j CROSS JOIN name_vocabulary v ON v.term = j.value"),
                    arguments: [shorter])
                out.formUnion(oneAway.filter { allowedEdits(max(length, $0.unicodeScalars.count)) >= 1 })
            }
        }
        // Names of 7 letters or more. Two spellings within two edits of each other leave a common string after at
        // most two deletions each: a name whose key is the word or one of its deletions, or a name that is one of
        // them. A 6-letter word is one edit from a 7-letter name only by a letter missing: the name's key is the
        // word. Two edits need a side of 9 letters: a word of 7 letters may be a 9-letter name with two missing.
        // The word's own two-letter deletions serve a word of 9 letters or more only: a word of 7 or 8 letters is
        // one edit from a name of 8 letters or fewer (a common string after one deletion each: the word's single
        // deletions), and two from a name of 9 or 10 letters only with one of them or both a letter missing from the
        // word (the name's key is then one of the word's single deletions, or the word). They were 21 or 28 more
        // keys, two seeks each, whose names `distance` then turned down.
        if length >= deletionMinimumLength - 1 {
            let deleted =
                length < deletionMinimumLength ? [] : deletionKeys(of: word)
            let keys: StatementArguments = [WordMatch.jsonList([word] + deleted)]
            // UNION ALL, each key a seek in the list's order: `UNION` and `key IN (SELECT …)` built temporary
            // indexes (the rows each once, the keys sorted), a third of the statement's cost; a name read twice is
            // checked once here.
            let candidates = try String.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT d.term FROM json_each(?1) j CROSS JOIN name_deletion d ON d.key = j.value
                        UNION ALL SELECT v.term FROM json_each(?1) j CROSS JOIN name_vocabulary v ON v.term = j.value
                        """), arguments: keys)
            var checked = Set<String>()
            for name in candidates where name != word && checked.insert(name).inserted {
                let allowed = allowedEdits(max(length, name.unicodeScalars.count))
                if distance(word, name, atMost: allowed) <= allowed { out.insert(name) }
            }
        }
        out.remove(word)
        return out.sorted()
    }

    /// The names of at least this many letters are in `name_deletion`: a word of 9 letters or more is at most two
    /// edits from names of 7 letters or more only.
    static let deletionMinimumLength = 7

    /// The keys of `name_deletion` a spelling of 7 letters or more has, a name stored or a word looked up: its single
    /// deletions, and for one of 9 letters or more its double ones too. A spelling of 7 or 8 letters within two edits
    /// of another has the other on the longer side (9 letters or more), and their common string then needs at most
    /// one deletion on its own side: a wrong letter or a swap is one deletion each side, a letter missing from it none
    /// on its side, and two letters missing from it make it one of the other's own deletions (looked up as a name, or
    /// a key, by the caller). A name's double deletions, 21 or 28 more keys a name of 7 or 8 letters (214k of the
    /// 3.96M rows at a million accounts), found nothing the single ones did not.
    static func deletionKeys(of name: String) -> [String] {
        allowedEdits(name.unicodeScalars.count) >= 2 ? deletions(of: name) : singleDeletions(of: name)
    }

    /// The distinct strings left when one or two letters of `word` are deleted (`name_deletion`'s keys), sorted.
    static func deletions(of word: String) -> [String] {
        // Folded names are ASCII: their deletions are bytes copied into small strings, sorted and each kept once
        // (a `Set` of strings built from scalar arrays cost 0.35M instructions for a 9-letter word).
        let bytes = Array(word.utf8)
        if bytes.count == word.unicodeScalars.count {
            var out: [String] = []
            out.reserveCapacity(bytes.count * (bytes.count + 1) / 2)
            var kept = [UInt8](repeating: 0, count: bytes.count)
            for i in bytes.indices {
                for j in i..<bytes.count {
                    // j == i: letter i deleted alone; j > i: letters i and j.
                    var n = 0
                    for k in bytes.indices where k != i && k != j {
                        kept[n] = bytes[k]
                        n += 1
                    }
                    out.append(kept.withUnsafeBufferPointer { String(decoding: $0[..<n], as: UTF8.self) })
                }
            }
            out.sort()
            var previous: String?
            return out.filter { s in
                defer { previous = s }
                return s != previous
            }
        }
        let letters = Array(word.unicodeScalars)
        var out = Set<String>()
        for i in letters.indices {
            var one = letters
            one.remove(at: i)
            out.insert(String(String.UnicodeScalarView(one)))
            for j in one.indices where j >= i {
                var two = one
                two.remove(at: j)
                out.insert(String(String.UnicodeScalarView(two)))
            }
        }
        return out.sorted()
    }

    /// The distinct strings left when one letter of `word` is deleted, sorted.
    static func singleDeletions(of word: String) -> [String] {
        let letters = Array(word.unicodeScalars)
        return Set(
            letters.indices.map { i in
                var kept = letters
                kept.remove(at: i)
                return String(String.UnicodeScalarView(kept))
            }
        ).sorted()
    }

    /// The optimal-string-alignment distance between `a` and `b` (substitutions, insertions, deletions and swaps of
    /// neighbours, each letter edited once), or `atMost + 1` as soon as it is known to exceed `atMost`.
    static func distance(_ a: String, _ b: String, atMost: Int) -> Int {
        // Folded names are ASCII: their bytes are their letters (an array of scalars cost more than the distance).
        if a.utf8.allSatisfy({ $0 < 0x80 }) && b.utf8.allSatisfy({ $0 < 0x80 }) {
            return distance(Array(a.utf8), Array(b.utf8), atMost: atMost)
        }
        return distance(Array(a.unicodeScalars), Array(b.unicodeScalars), atMost: atMost)
    }

    private static func distance<Letter: Equatable>(_ s: [Letter], _ t: [Letter], atMost: Int) -> Int {
        if abs(s.count - t.count) > atMost { return atMost + 1 }
        var previous2 = [Int](repeating: 0, count: t.count + 1)
        var previous = Array(0...t.count)
        var current = [Int](repeating: 0, count: t.count + 1)
        for i in 1...max(s.count, 1) where !s.isEmpty {
            current[0] = i
            var rowMinimum = i
            for j in stride(from: 1, through: t.count, by: 1) {
                let cost = s[i - 1] == t[j - 1] ? 0 : 1
                var d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1 && j > 1 && s[i - 1] == t[j - 2] && s[i - 2] == t[j - 1] { d = min(d, previous2[j - 2] + 1) }
                current[j] = d
                rowMinimum = min(rowMinimum, d)
            }
            if rowMinimum > atMost { return atMost + 1 }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return min(s.isEmpty ? t.count : previous[t.count], atMost + 1)
    }

    /// `variants(of: word, shorterThan: limit)` as one JSON list (`WordMatch.jsonList`), in the same order; nil when
    /// there is none. A folded word is ASCII: its spellings are written as bytes straight into the list (building a
    /// string for each of a 6-letter word's ~170 spellings, then joining them, cost some 0.2M instructions a word).
    static func variantList(of word: String, shorterThan limit: Int) -> String? {
        let w = Array(word.utf8)
        guard w.count == word.unicodeScalars.count else {
            let spellings = variants(of: word, shorterThan: limit)
            return spellings.isEmpty ? nil : WordMatch.jsonList(spellings)
        }
        let letters = Array(UInt8(ascii: "a")...UInt8(ascii: "z"))
        let tried = letters + Set(w).subtracting(letters).sorted()
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity((2 * w.count + 1) * (tried.count + 1) * (w.count + 4))
        // One spelling: w[..<end], then `a` and `b` if any, then w[start...].
        func add(_ end: Int, _ a: UInt8?, _ b: UInt8?, _ start: Int) {
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: w[..<end])
            if let a { out.append(a) }
            if let b { out.append(b) }
            if start < w.count { out.append(contentsOf: w[start...]) }
            out.append(UInt8(ascii: "\""))
        }
        for i in w.indices where w.count - 1 < limit {
            add(i, nil, nil, i + 1)  // missing
            guard w.count < limit else { continue }
            if i + 1 < w.count && w[i] != w[i + 1] { add(i, w[i + 1], w[i], i + 2) }  // swapped
            for c in tried where c != w[i] { add(i, c, nil, i + 1) }  // wrong
        }
        for i in 0...w.count where w.count + 1 < limit {
            for c in tried { add(i, c, nil, i) }  // extra
        }
        guard out.count > 1 else { return nil }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Every spelling one substitution, deletion, insertion or swap of neighbours away from `word` (a few repeated),
    /// of fewer than `limit` letters. Built by concatenating a prefix, a letter and a suffix of the word: names are
    /// short enough for Swift's small strings, so this allocates little.
    static func variants(of word: String, shorterThan limit: Int = .max) -> [String] {
        let letters = Array(word.unicodeScalars)
        let string = { (scalars: ArraySlice<Unicode.Scalar>) in String(String.UnicodeScalarView(scalars)) }
        let prefixes = (0...letters.count).map { string(letters[..<$0]) }
        let suffixes = (0...letters.count).map { string(letters[$0...]) } + [""]
        var extra = Set(letters)
        extra.subtract(alphabet)
        let tried = (alphabet + extra.sorted { $0.value < $1.value }).map { String($0) }
        var out: [String] = []
        out.reserveCapacity((2 * letters.count + 1) * (tried.count + 1))
        for i in letters.indices where letters.count - 1 < limit {
            out.append(prefixes[i] + suffixes[i + 1])  // missing
            guard letters.count < limit else { continue }
            if i + 1 < letters.count && letters[i] != letters[i + 1] {
                out.append(prefixes[i] + String(letters[i + 1]) + String(letters[i]) + suffixes[i + 2])  // swapped
            }
            let own = String(letters[i])
            for c in tried where c != own { out.append(prefixes[i] + c + suffixes[i + 1]) }  // wrong
        }
        for i in 0...letters.count where letters.count + 1 < limit {
            for c in tried { out.append(prefixes[i] + c + suffixes[i]) }  // extra
        }
        return out
    }
}
