import Testing
@testable import Guichet

@Suite struct NearSpellingTests {
    @Test func distanceCountsWrongMissingExtraAndSwappedLetters() {
        #expect(NearSpelling.distance("martin", "martin", atMost: 2) == 0)
        #expect(NearSpelling.distance("martiin", "martin", atMost: 2) == 1)
        #expect(NearSpelling.distance("mcihel", "michel", atMost: 2) == 1)
        #expect(NearSpelling.distance("desainteyupexy", "desaintexupery", atMost: 2) == 2)
        #expect(NearSpelling.distance("abc", "xyz", atMost: 1) == 2)
        #expect(NearSpelling.distance("", "abc", atMost: 5) == 3)
    }

    /// The spellings written as bytes straight into a JSON list are `variants`' own, in its order, for words of
    /// every length the search generates them for, with digits and a non-ASCII letter; and the distance read on
    /// bytes is the one read on scalars.
    @Test func theSpellingsListIsTheVariantsAsJSON() {
        var rng = SeededGenerator(state: 20261202)
        let drawn = Array("abcdefghijklmnopqrstuvwxyz0123456789ë")
        var words = ["", "a", "martin", "baon", "plltier", "aab", "zzzz", "3eme", "nguyên"]
        for _ in 0..<2000 {
            words.append(String((0..<Int.random(in: 1...9, using: &rng)).map { _ in drawn.randomElement(using: &rng)! }))
        }
        for word in words {
            for limit in [4, 6, 7, 8] {
                let spellings = NearSpelling.variants(of: word, shorterThan: limit)
                #expect(
                    NearSpelling.variantList(of: word, shorterThan: limit)
                        == (spellings.isEmpty ? nil : WordMatch.jsonList(spellings)), "\(word) \(limit)")
            }
            let other = words.randomElement(using: &rng)!
            let scalars = { (s: String) in String(String.UnicodeScalarView(s.unicodeScalars.map { $0 == "e" ? "é" : $0 })) }
            #expect(
                NearSpelling.distance(word, other, atMost: 2) == NearSpelling.distance(scalars(word), scalars(other), atMost: 2),
                "\(word) \(other)")
        }
        #expect(WordMatch.jsonList(["ab", "c"]) == "[\"ab\",\"c\"]" && WordMatch.jsonList([]) == "[\"\"]")
    }

    /// `alternatives` against every name of the vocabulary compared with `distance`: names drawn from four letters, 4
    /// to 11 of them, so that many are one or two edits apart, and words typed as one or two random edits of them. The
    /// names of 7 and 8 letters are stored under their single deletions only (`deletionKeys`).
    @Test func theAlternativesAreEveryNameWithinTheAllowedEdits() throws {
        var rng = SeededGenerator(state: 20261203)
        let letters = Array("abde")
        func drawn(_ n: Int) -> String { String((0..<n).map { _ in letters.randomElement(using: &rng)! }) }
        var names = Set<String>()
        while names.count < 400 { names.insert(drawn(Int.random(in: 4...11, using: &rng))) }
        let t = try TemporaryDatabase()
        var export = ENTExport()
        for (k, name) in names.sorted().enumerated() {
            export.add(id: "n\(k)", type: "Student", last: name, first: "Zo", login: "n\(k).x")
        }
        try t.importCSV(export.text)
        var typed = Set<String>()
        for name in names.sorted() where typed.count < 600 {
            var w = Array(name)
            for _ in 0..<Int.random(in: 1...2, using: &rng) {
                let i = Int.random(in: 0..<w.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: w[i] = letters.randomElement(using: &rng)!
                case 1: if w.count > 1 { w.remove(at: i) }
                case 2: w.insert(letters.randomElement(using: &rng)!, at: i)
                default: if i + 1 < w.count { w.swapAt(i, i + 1) }
                }
            }
            typed.insert(String(w))
        }
        var failures: [String] = []
        try t.database.writer.read { db in
            for word in typed.sorted() {
                let expected = names.filter { name in
                    let allowed = NearSpelling.allowedEdits(max(word.count, name.count))
                    return name != word && NearSpelling.distance(word, name, atMost: allowed) <= allowed
                }.sorted()
                let got = try NearSpelling.alternatives(of: word, db)
                if got != expected { failures.append("\(word): got \(got), expected \(expected)") }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(typed.count) differ; first: \(failures.prefix(3))")
    }

    @Test func deletionsAreEveryStringOneOrTwoLettersShorter() {
        #expect(NearSpelling.deletions(of: "abc") == ["a", "ab", "ac", "b", "bc", "c"])
        #expect(NearSpelling.singleDeletions(of: "abbc") == ["abb", "abc", "bbc"])
        #expect(NearSpelling.allowedEdits(4) == 0 && NearSpelling.allowedEdits(5) == 1 && NearSpelling.allowedEdits(9) == 2)
    }
}
