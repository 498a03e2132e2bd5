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

    @Test func deletionsAreEveryStringOneOrTwoLettersShorter() {
        #expect(NearSpelling.deletions(of: "abc") == ["a", "ab", "ac", "b", "bc", "c"])
        #expect(NearSpelling.allowedEdits(4) == 0 && NearSpelling.allowedEdits(5) == 1 && NearSpelling.allowedEdits(9) == 2)
    }
}
