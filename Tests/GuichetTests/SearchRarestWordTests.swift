import Testing
@testable import Guichet

/// `WordMatch.rarest` reads each word's rows only as far as can change the answer, in an order of its own; the answer
/// must stay the one of counting every word in the query's order, each up to one past the fewest so far.
@Suite struct SearchRarestWordTests {
    /// The count as `Search.SeveralWords` first made it: each word in order, up to one past the fewest so far; a word
    /// that starts no name first, then the fewest rows, the first on a tie.
    static func sequential(rows: [Int], sizes: [Int], cap: Int) -> (index: Int, rows: Int, read: Int) {
        var bound = cap
        var read = 0
        let estimates = rows.map { t in
            let estimate = min(t, bound + 1)
            read += estimate
            bound = min(bound, estimate)
            return estimate
        }
        let rarest = rows.indices.min {
            (sizes[$0] > 0 ? 1 : 0, estimates[$0]) < (sizes[$1] > 0 ? 1 : 0, estimates[$1])
        }!
        return (rarest, estimates[rarest], read)
    }

    static func rarest(_ words: [String], rows: [Int], sizes: [Int], cap: Int) -> (index: Int, rows: Int, read: Int) {
        var read = 0
        let (index, count) = WordMatch.rarest(words.map { .prefix($0) }, sizes: sizes, cap: cap) { k, c in
            precondition(c >= 0)
            read += min(rows[k], c + 1)
            return min(rows[k], c + 1)
        }
        return (index, count, read)
    }

    @Test func theRarestWordIsTheOneCountingInOrderGives() {
        var rng = SeededGenerator(state: 20261202)
        for _ in 0..<20000 {
            let n = Int.random(in: 1...5, using: &rng)
            let cap = [0, 1, 5, 600].randomElement(using: &rng)!
            // Few distinct counts, so that ties and counts at the cap are frequent.
            let rows = (0..<n).map { _ in
                [0, 1, 2, 3, cap, cap + 1, 700, Int.random(in: 0...700, using: &rng)].randomElement(using: &rng)!
            }
            let sizes = (0..<n).map { _ in Bool.random(using: &rng) ? 0 : Int.random(in: 1...1001, using: &rng) }
            let words = (0..<n).map { _ in String(repeating: "a", count: Int.random(in: 1...12, using: &rng)) }
            let expected = Self.sequential(rows: rows, sizes: sizes, cap: cap)
            let got = Self.rarest(words, rows: rows, sizes: sizes, cap: cap)
            #expect(got.index == expected.index && got.rows == expected.rows, "\(words) \(rows) \(sizes) cap \(cap)")
        }
    }

    /// "jeanne cldavounier" widened: the first name's 600 rows and more are no longer read before the look-alikes'
    /// 99; the first name is read up to 100.
    @Test func aCommonFirstNameIsReadOnlyAsFarAsTheRareLastName() {
        let expected = Self.sequential(rows: [5000, 99], sizes: [2, 8], cap: 600)
        let got = Self.rarest(["jeanne", "cldavounier"], rows: [5000, 99], sizes: [2, 8], cap: 600)
        #expect(got.index == 1 && got.rows == 99 && expected.index == 1 && expected.rows == 99)
        #expect(expected.read == 601 + 99 && got.read == 99 + 100)
    }
}
