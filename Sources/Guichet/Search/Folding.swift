import Foundation

/// Folds text the French way for matching and sorting: accents removed ("É" sorts and matches with "E"),
/// ligatures and letters without a decomposition spelled out (œ → oe, ß → ss, ł → l, ø → o), lower case.
///
/// Folding is the only place where names become keys; search, sort keys and class keys all go through it, so
/// "Nathanaël", "NATHANAEL" and "nathanael" are one key everywhere. It runs on every name of a million-row import,
/// so it works on Unicode scalars with a table for Latin letters (U+00C0…U+024F) and falls back to canonical
/// decomposition only beyond it (Vietnamese, Romanian comma-below, combining marks typed separately).
public enum Folding {
    /// Letters that Unicode does not decompose into a base letter plus a combining mark.
    private static let spelledOut: [Unicode.Scalar: String] = [
        "œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ẞ": "ss", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o",
        "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i", "ŀ": "l", "Ŀ": "l"
    ]

    private static let latinStart: UInt32 = 0xC0
    private static let latinEnd: UInt32 = 0x250
    /// The folded form of each scalar from U+00C0 to U+024F, computed once.
    private static let latinTable: [String] = (latinStart..<latinEnd).map { value in
        let scalar = Unicode.Scalar(value)!
        return spelledOut[scalar] ?? slowFold(scalar)
    }

    /// Folds one scalar by decomposition: the base letter, lower-cased, combining marks dropped.
    private static func slowFold(_ scalar: Unicode.Scalar) -> String {
        if let spelled = spelledOut[scalar] { return spelled }
        var out = ""
        for s in String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
        where s.properties.generalCategory != .nonspacingMark {
            out += String(s).lowercased()
        }
        return out
    }

    /// The Latin table as UTF-8 bytes, and whether each entry is a letter (× and ÷ are not).
    private static let latinUTF8: [[UInt8]] = latinTable.map { Array($0.utf8) }
    private static let latinIsLetter: [Bool] = (latinStart..<latinEnd).map { Unicode.Scalar($0)!.properties.isAlphabetic }

    /// Calls `emit` with the folded UTF-8 bytes of each scalar of `text` and whether they belong to a word.
    /// Bytes, not `String.UnicodeScalarView`: the generic view costs a metadata lookup per append, which was most of
    /// a million-row import.
    @inline(__always)
    private static func forEachFolded(_ text: String, _ emit: (_ bytes: UnsafeBufferPointer<UInt8>, _ isWord: Bool) -> Void) {
        var one: UInt8 = 0
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                one = (v >= 0x41 && v <= 0x5A) ? UInt8(v + 0x20) : UInt8(v)
                let isWord = (one >= 0x61 && one <= 0x7A) || (one >= 0x30 && one <= 0x39)
                withUnsafePointer(to: &one) { emit(UnsafeBufferPointer(start: $0, count: 1), isWord) }
            } else if v >= latinStart && v < latinEnd {
                let i = Int(v - latinStart)
                latinUTF8[i].withUnsafeBufferPointer { emit($0, latinIsLetter[i]) }
            } else if scalar.properties.generalCategory == .nonspacingMark {
                continue  // a combining accent typed on its own
            } else {
                for s in slowFold(scalar).unicodeScalars {
                    let isWord = s.properties.isAlphabetic || s.properties.numericType != nil
                    Array(String(s).utf8).withUnsafeBufferPointer { emit($0, isWord) }
                }
            }
        }
    }

    /// The folded form of `text`: lower case, no accents, ligatures spelled out; punctuation kept.
    public static func fold(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        forEachFolded(text) { bytes, _ in out.append(contentsOf: bytes) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The words of `text` once folded: runs of letters and digits; apostrophes, hyphens, dots and spaces separate.
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        current.reserveCapacity(32)
        forEachFolded(text) { bytes, isWord in
            if isWord {
                current.append(contentsOf: bytes)
            } else if !current.isEmpty {
                words.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
    }

    /// A key with every separator removed: "N'Diaye" → "ndiaye", "2NDE 3" → "2nde3", "Le Goff" → "legoff".
    public static func key(_ text: String) -> String {
        // `words(text).joined()` without the words: this folds every name of every row of an import's family links.
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        forEachFolded(text) { bytes, isWord in if isWord { out.append(contentsOf: bytes) } }
        return String(decoding: out, as: UTF8.self)
    }

    /// The key that orders people the way a French register does: last name, then first name, accents folded,
    /// punctuation and spaces ignored. The separator (U+0001) sorts before every letter, so "Le" < "Lebrun".
    public static func sortKey(lastName: String, firstName: String) -> String {
        sortKey(lastWords: words(lastName), firstWords: words(firstName))
    }

    /// The same key from names already split into folded words (the importer folds each name once).
    public static func sortKey(lastWords: [String], firstWords: [String]) -> String {
        lastWords.joined() + SearchIndex.keySeparator + firstWords.joined()
    }
}
