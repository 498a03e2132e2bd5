import SQLiteBulk
import Testing

/// Packed index rows (the import's search index): their order is SQLite's (key, sort key, account id) order, each row once.
@Suite struct PackedRowsTests {
    static func rows(_ rows: [(key: String, sortKey: String, id: Int64)]) -> PackedRows {
        let packed = PackedRows(capacity: 4)  // small: the buffer grows as rows come
        for row in rows {
            packed.begin()
            packed.add(utf8: row.key)
            packed.end(sortKey: row.sortKey, id: row.id)
        }
        return packed
    }

    static func read(_ batches: [PackedRows]) -> [String] {
        var merged = PackedRows.Merged(batches)
        var out: [String] = []
        while let (key, sortKey, id) = merged.next() {
            out.append("\(String(decoding: key, as: UTF8.self))|\(String(decoding: sortKey, as: UTF8.self))|\(id)")
        }
        return out
    }

    @Test func sortsByKeyThenSortKeyThenIdPastTheEightBytePrefix() {
        // Keys sharing their first 8 bytes are told apart by the full comparison; a key that is a prefix of another
        // comes first; ids compare as numbers (big-endian), not by their low byte.
        let packed = Self.rows([
            ("abcdefghz", "b", 1), ("abcdefgha", "b", 1), ("ab", "z", 1), ("abc", "a", 1),
            ("abcdefgha", "a", 2), ("abcdefgha", "a", 256), ("abcdefgha", "a", 1)
        ])
        packed.sort()
        #expect(
            Self.read([packed]) == [
                "ab|z|1", "abc|a|1", "abcdefgha|a|1", "abcdefgha|a|2", "abcdefgha|a|256",
                "abcdefgha|b|1", "abcdefghz|b|1"
            ])
    }

    @Test func keepsEachRowOnce() {
        // "Martin Martin" makes the pair (martin, martin) twice for one account.
        let packed = Self.rows([("martin", "martin martin", 7), ("martin", "martin martin", 7), ("martin", "martin martin", 8)])
        packed.sort()
        #expect(packed.count == 2)
        #expect(Self.read([packed]) == ["martin|martin martin|7", "martin|martin martin|8"])
    }

    @Test func mergesSortedBatchesInKeyOrder() {
        let a = Self.rows([("zoe", "gerard zoe", 1), ("gerard", "gerard zoe", 1)])
        let b = Self.rows([("ines", "gerard ines", 2), ("gerard", "gerard ines", 2)])
        a.sort()
        b.sort()
        #expect(Self.read([a, b]) == ["gerard|gerard ines|2", "gerard|gerard zoe|1", "ines|gerard ines|2", "zoe|gerard zoe|1"])
    }
}
