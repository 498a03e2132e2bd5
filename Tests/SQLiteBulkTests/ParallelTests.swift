import SQLiteBulk
import Testing

/// Work spread over every core: results in index order, pieces that cover the work once.
@Suite struct ParallelTests {
    @Test func mapReturnsEveryResultInIndexOrder() {
        #expect(Parallel.map(10_000) { $0 * 3 } == (0..<10_000).map { $0 * 3 })
        #expect(Parallel.map(1) { $0 + 7 } == [7])
        #expect(Parallel.map(0) { $0 }.isEmpty)
    }

    @Test func rangesCoverTheCountOnceInOrder() {
        for (count, pieces) in [(0, 4), (3, 8), (10, 3), (1_000_003, 8)] {
            let ranges = Parallel.ranges(count, pieces: pieces)
            #expect(ranges.count == max(1, min(pieces, count)))
            #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == count)
            #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        }
    }

    @Test func borrowedReadsTheElementsInPlaceFromEveryThread() {
        let words = (0..<5_000).map { "mot numéro \($0), assez long pour vivre sur le tas" }
        let lengths = words.withUnsafeBufferPointer { buffer in
            let words = Parallel.Borrowed(buffer)
            return Parallel.map(words.buffer.count) { words[$0].utf8.count }
        }
        #expect(lengths == words.map(\.utf8.count))
    }

    @Test func backgroundHandsOverBothResultsInTurn() {
        let (first, second) = Parallel.background({ (1...100).reduce(0, +) }, then: { "ensuite" })
        #expect(first.wait() == 5050)
        #expect(second.wait() == "ensuite")
    }

    @Test func backgroundAloneHandsOverItsResult() {
        let pending = Parallel.background { (1...100).reduce(0, +) }
        #expect(pending.wait() == 5050)
    }
}
