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

    @Test func deletionsAreEveryStringOneOrTwoLettersShorter() {
        #expect(NearSpelling.deletions(of: "abc") == ["a", "ab", "ac", "b", "bc", "c"])
        #expect(NearSpelling.singleDeletions(of: "abbc") == ["abb", "abc", "bbc"])
        #expect(NearSpelling.allowedEdits(4) == 0 && NearSpelling.allowedEdits(5) == 1 && NearSpelling.allowedEdits(9) == 2)
    }
}
