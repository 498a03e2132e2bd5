import Foundation
import SQLiteBulk

/// Rows of one index table — (key, sort key, account id) — packed end to end in one buffer and sorted in the
/// table's primary-key order, so that SQLite appends to its B-tree instead of inserting at random. Measured here on
/// 4.9M rows of `search_term`: 1.5 s in key order, 17 s in account order; SQLite's own sorter took 5.5 s more.
///
/// A row is `key 0x00 sortKey 0x00 id` (the id as 8 big-endian bytes). Neither text holds a 0x00 byte (folded words,
/// keys and sort keys are letters, digits and U+0001), so comparing packed rows byte by byte orders them exactly as
/// SQLite's BINARY collation orders (key, sort_key, account_id).
final class PackedRows: @unchecked Sendable {
    // Filled by one thread, then only read (sorted once, before it is handed to the writer): no shared mutation.
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var used = 0
    private var starts: [Int] = []
    /// Each row's key length and sort key length, so the writer need not search the row for its separators.
    private var lengths: [(key: UInt32, sortKey: UInt32)] = []
    /// Row numbers in key order, once `sort()` ran.
    private var order: [Int32] = []

    init(capacity: Int = 1 << 16) {
        self.capacity = capacity
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    var count: Int { starts.count }

    /// Starts a row; its key is what `add` appends until `end`.
    func begin() { starts.append(used) }

    func add<C: Collection<UInt8>>(_ bytes: C) {
        reserve(bytes.count)
        for b in bytes { storage[used] = b; used += 1 }
    }

    func add(byte: UInt8) {
        reserve(1)
        storage[used] = byte
        used += 1
    }

    /// Ends the row begun last with its sort key and account id.
    func end(sortKey: String, id: Int64) {
        let keyLength = used - starts[starts.count - 1]
        lengths.append((UInt32(keyLength), UInt32(sortKey.utf8.count)))
        add(byte: 0)
        add(sortKey.utf8)
        add(byte: 0)
        reserve(8)
        withUnsafeBytes(of: id.bigEndian) { for b in $0 { storage[used] = b; used += 1 } }
    }

    private func reserve(_ extra: Int) {
        guard used + extra > capacity else { return }
        let grown = max(capacity * 2, used + extra)
        let next = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        next.update(from: storage, count: used)
        storage.deallocate()
        storage = next
        capacity = grown
    }

    private func row(_ k: Int) -> UnsafeRawBufferPointer {
        let end = k + 1 < starts.count ? starts[k + 1] : used
        return UnsafeRawBufferPointer(start: storage + starts[k], count: end - starts[k])
    }

    private static func less(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let n = min(a.count, b.count)
        let c = n == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, n)
        return c != 0 ? c < 0 : a.count < b.count
    }

    /// Orders the rows by key, then sort key, then id.
    func sort() {
        // Each row's first 8 bytes as a big-endian integer settle most comparisons without touching the rows; only
        // rows that share them are compared in full (measured: the sort took twice as long with memcmp alone).
        let storage = self.storage, used = self.used
        var keyed: [(prefix: UInt64, row: Int32)] = starts.withUnsafeBufferPointer { starts in
            (0..<starts.count).map { k in
                let end = k + 1 < starts.count ? starts[k + 1] : used
                var prefix: UInt64 = 0
                for i in 0..<8 { prefix = prefix << 8 | UInt64(starts[k] + i < end ? storage[starts[k] + i] : 0) }
                return (prefix, Int32(k))
            }
        }
        starts.withUnsafeBufferPointer { starts in
            func bytes(_ k: Int32) -> UnsafeRawBufferPointer {
                let k = Int(k)
                let end = k + 1 < starts.count ? starts[k + 1] : used
                return UnsafeRawBufferPointer(start: storage + starts[k], count: end - starts[k])
            }
            keyed.sort { a, b in a.prefix != b.prefix ? a.prefix < b.prefix : Self.less(bytes(a.row), bytes(b.row)) }
        }
        order = keyed.map(\.row)
    }

    /// Calls `body` with every row of `batches` (each sorted) in key order, merged, each distinct row once:
    /// the key, the sort key and the id, valid during the call.
    static func forEachMerged(_ batches: [PackedRows],
                              _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer, Int64) throws -> Void) rethrows {
        var heads = [Int](repeating: 0, count: batches.count)
        var previous: UnsafeRawBufferPointer?
        while true {
            var best: (batch: Int, row: Int, bytes: UnsafeRawBufferPointer)?
            for (b, batch) in batches.enumerated() where heads[b] < batch.order.count {
                let row = Int(batch.order[heads[b]])
                let candidate = batch.row(row)
                if best == nil || less(candidate, best!.bytes) { best = (b, row, candidate) }
            }
            guard let (b, k, row) = best else { return }
            heads[b] += 1
            // A name whose last and first words repeat ("Martin Martin") makes the same pair twice.
            if let previous, !less(previous, row) { continue }
            previous = row
            let (keyLength, sortKeyLength) = (Int(batches[b].lengths[k].key), Int(batches[b].lengths[k].sortKey))
            let id = row.loadUnaligned(fromByteOffset: row.count - 8, as: Int64.self)
            try body(UnsafeRawBufferPointer(rebasing: row[..<keyLength]),
                     UnsafeRawBufferPointer(rebasing: row[(keyLength + 1)..<(keyLength + 1 + sortKeyLength)]),
                     Int64(bigEndian: id))
        }
    }

    /// Writes every row of `batches`, in key order, with `statement` (parameters: key, sort key, account id): an
    /// insert, or a delete.
    static func write(_ batches: [PackedRows], with statement: some BulkBinding) throws {
        try forEachMerged(batches) { key, sortKey, id in
            try statement.bind(1, borrowing: key)
            try statement.bind(2, borrowing: sortKey)
            try statement.bind(3, id)
            try statement.endRow()
        }
        try statement.finish()
    }
}
