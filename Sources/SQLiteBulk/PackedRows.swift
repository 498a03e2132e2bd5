import Foundation
import GRDB

/// Rows of one index table — (key, sort key, account id) — packed end to end in one buffer and sorted in the
/// table's primary-key order, so that SQLite appends to its B-tree instead of inserting at random. Measured here on
/// 4.9M rows of `search_term`: 1.5 s in key order, 17 s in account order; SQLite's own sorter took 5.5 s more.
///
/// A row is `key 0x00 sortKey 0x00 id` (the id as 8 big-endian bytes). Neither text may hold a 0x00 byte (the
/// caller's rule: Guichet's folded words, keys and sort keys are letters, digits and U+0001), so comparing packed rows
/// byte by byte orders them exactly as SQLite's BINARY collation orders (key, sort_key, account_id).
public final class PackedRows: @unchecked Sendable {
    // Filled by one thread, then only read (sorted once, before it is handed to the writer): no shared mutation.
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var used = 0
    /// Where each row starts.
    private var starts: [Int] = []

    public init(capacity: Int = 1 << 16) {
        self.capacity = capacity
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    public var count: Int { starts.count }

    /// Starts a row; its key is what `add` appends until `end`.
    public func begin() { starts.append(used) }

    /// Appends `text`'s UTF-8 bytes to the row begun last (copied whole: the caller's texts are native strings).
    public func add(utf8 text: String) {
        var text = text
        text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    public func add(utf8 text: Substring) {
        var text = text
        text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    public func add(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (storage + used).update(from: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        used += bytes.count
    }

    public func add(byte: UInt8) {
        reserve(1)
        storage[used] = byte
        used += 1
    }

    /// Ends the row begun last with its sort key and account id.
    public func end(sortKey: String, id: Int64) {
        var sortKey = sortKey
        sortKey.withUTF8 { end(sortKey: UnsafeRawBufferPointer($0), id: id) }
    }

    /// The same with the sort key's UTF-8 bytes.
    public func end(sortKey: UnsafeRawBufferPointer, id: Int64) {
        add(byte: 0)
        add(sortKey)
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

    /// Orders the rows by key, then sort key, then id, and keeps each once: a name whose last and first words repeat
    /// ("Martin Martin") makes the same pair twice. The rows of one account are all in one batch, so batches merged
    /// together never hold the same row.
    public func sort() {
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
        // The rows are then copied in that order, so that the writer reads them one after the other: read where
        // they were made, each row was a cache miss (measured: most of the writer's time on 7M index rows).
        let sorted = UnsafeMutablePointer<UInt8>.allocate(capacity: max(used, 1))
        var sortedStarts: [Int] = []
        sortedStarts.reserveCapacity(keyed.count)
        var at = 0
        for (i, k) in keyed.enumerated() where i == 0 || Self.less(row(Int(keyed[i - 1].row)), row(Int(k.row))) {
            let bytes = row(Int(k.row))
            (sorted + at).update(from: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: bytes.count)
            sortedStarts.append(at)
            at += bytes.count
        }
        self.storage.deallocate()
        (self.storage, self.capacity, self.used, starts) = (sorted, max(used, 1), at, sortedStarts)
    }

    /// Every row of some sorted batches, in key order: the key, the sort key and the id, valid while the batches are.
    public struct Merged {
        /// Where one batch is read: its rows lie in key order, one after the other, and a row's texts end at their
        /// 0x00, so reading needs nothing but the bytes.
        private struct Cursor {
            let base: UnsafePointer<UInt8>
            let end: Int
            var at = 0

            /// The row at `at` (`key 0x00 sortKey 0x00 id`) and its texts' lengths, or nil at the end.
            func row() -> (bytes: UnsafeRawBufferPointer, keyLength: Int, sortKeyLength: Int)? {
                guard at < end else { return nil }
                let keyLength = strlen(UnsafeRawPointer(base + at).assumingMemoryBound(to: CChar.self))
                let sortKeyLength = strlen(UnsafeRawPointer(base + at + keyLength + 1).assumingMemoryBound(to: CChar.self))
                return (
                    UnsafeRawBufferPointer(start: base + at, count: keyLength + 1 + sortKeyLength + 1 + 8),
                    keyLength, sortKeyLength
                )
            }
        }

        private let batches: [PackedRows]  // keeps the rows alive
        private var cursors: [Cursor]
        /// Each cursor's row, read once when the cursor reaches it: the importer merges one batch per chunk of
        /// accounts (twenty at a million), and reading every cursor's row again for each row taken cost two `strlen`
        /// per batch per row.
        private var heads: [Head?]
        /// The cursors that have a row, as a binary min-heap on their heads: comparing every head for each row taken
        /// was twenty comparisons a row at a million accounts (1 s of CPU of the search index's 6.7M rows, `perf`,
        /// 2 December); the heap takes about twice the logarithm.
        private var heap: [Int] = []

        private struct Head {
            let bytes: UnsafeRawBufferPointer
            let keyLength: Int
            let sortKeyLength: Int
            /// The row's first 8 bytes as a big-endian integer (a row is at least 10 bytes: its two 0x00 and its id),
            /// which settles most comparisons without `memcmp`.
            let prefix: UInt64

            init?(_ row: (bytes: UnsafeRawBufferPointer, keyLength: Int, sortKeyLength: Int)?) {
                guard let row else { return nil }
                (bytes, keyLength, sortKeyLength) = row
                prefix = UInt64(bigEndian: row.bytes.loadUnaligned(as: UInt64.self))
            }

            static func < (a: Head, b: Head) -> Bool {
                a.prefix != b.prefix ? a.prefix < b.prefix : PackedRows.less(a.bytes, b.bytes)
            }
        }

        public init(_ batches: [PackedRows]) {
            self.batches = batches
            cursors = batches.map { Cursor(base: UnsafePointer($0.storage), end: $0.used) }
            heads = cursors.map { Head($0.row()) }
            for k in heads.indices where heads[k] != nil {
                heap.append(k)
                siftUp(heap.count - 1)
            }
        }

        private func isLess(_ i: Int, _ j: Int) -> Bool { heads[heap[i]]! < heads[heap[j]]! }

        private mutating func siftUp(_ at: Int) {
            var i = at
            while i > 0 {
                let parent = (i - 1) / 2
                guard isLess(i, parent) else { return }
                heap.swapAt(i, parent)
                i = parent
            }
        }

        private mutating func siftDown(_ at: Int) {
            var i = at
            while true {
                let (left, right) = (2 * i + 1, 2 * i + 2)
                var least = i
                if left < heap.count && isLess(left, least) { least = left }
                if right < heap.count && isLess(right, least) { least = right }
                guard least != i else { return }
                heap.swapAt(i, least)
                i = least
            }
        }

        public mutating func next() -> (key: UnsafeRawBufferPointer, sortKey: UnsafeRawBufferPointer, id: Int64)? {
            guard let c = heap.first, let row = heads[c] else { return nil }
            cursors[c].at += row.bytes.count
            heads[c] = Head(cursors[c].row())
            if heads[c] == nil {
                let last = heap.removeLast()
                if !heap.isEmpty { heap[0] = last }
            }
            if !heap.isEmpty { siftDown(0) }
            let id = row.bytes.loadUnaligned(fromByteOffset: row.bytes.count - 8, as: Int64.self)
            return (
                UnsafeRawBufferPointer(rebasing: row.bytes[..<row.keyLength]),
                UnsafeRawBufferPointer(rebasing: row.bytes[(row.keyLength + 1)..<(row.keyLength + 1 + row.sortKeyLength)]),
                Int64(bigEndian: id)
            )
        }
    }

    /// Inserts every row of `batches`, in key order, into `table` (`key`, `sort_key`, `account_id`): one
    /// `INSERT OR IGNORE … SELECT` that reads the rows from here (see RowStream).
    public static func insert(_ batches: [PackedRows], into table: String, key: String, _ db: Database) throws {
        var merged = Merged(batches)
        let stream = RowStream(columns: 3) { row in
            guard let (key, sortKey, id) = merged.next() else { return false }
            row.bind(1, borrowing: key)
            row.bind(2, borrowing: sortKey)
            row.bind(3, id)
            return true
        }
        try RowStream.insert(db, "INSERT OR IGNORE", into: table, columns: [key, "sort_key", "account_id"], rows: stream)
    }

    /// Runs `statement` (parameters: key, sort key, account id) for every row of `batches`, in key order: the
    /// importer's deletes.
    public static func run(_ statement: BulkStatement, forEachRowOf batches: [PackedRows]) throws {
        var merged = Merged(batches)
        while let (key, sortKey, id) = merged.next() {
            try statement.bind(1, borrowing: key)
            try statement.bind(2, borrowing: sortKey)
            try statement.bind(3, id)
            try statement.execute()
        }
    }
}
