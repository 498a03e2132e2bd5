/// A widened query's look-alike names, to tell which of them occur in a register key (`Search.edits`).
///
/// Each candidate of a widened tier is tested against every look-alike (hundreds for a short word's sound-alikes,
/// times up to `Search.candidateCap` candidates): the standard library's `contains(_:)` on byte arrays, a generic
/// searcher, took 70% of "louis martiin" at 1M accounts (perf). Names grouped by their first byte make each key
/// position a handful of byte comparisons with the names that start with it.
struct LookAlikes {
    /// The names, each as bytes, under their first byte.
    private var byFirstByte = [[[UInt8]]](repeating: [], count: 256)
    private var isEmpty = true

    init(_ names: some Sequence<String>) {
        for name in names {
            let bytes = Array(name.utf8)
            guard let first = bytes.first else { continue }
            byFirstByte[Int(first)].append(bytes)
            isEmpty = false
        }
    }

    /// The names that occur anywhere in `key`, each once.
    func found(in key: String) -> [String] {
        guard !isEmpty else { return [] }
        let key = Array(key.utf8)
        var out: [[UInt8]] = []
        key.withUnsafeBufferPointer { key in
            for i in key.indices {
                for name in byFirstByte[Int(key[i])] where i + name.count <= key.count && !out.contains(name) {
                    if name.withUnsafeBufferPointer({ n in
                        var k = 1
                        while k < n.count && n[k] == key[i + k] { k += 1 }
                        return k == n.count
                    }) {
                        out.append(name)
                    }
                }
            }
        }
        return out.map { String(decoding: $0, as: UTF8.self) }
    }
}
