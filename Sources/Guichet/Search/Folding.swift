import Foundation

/// Folds text the French way for matching and sorting: accents removed ("É" sorts and matches with "E"),
/// ligatures and letters without a decomposition spelled out (œ → oe, ß → ss, ł → l, ø → o), lower case.
///
/// Folding is the only place where names become keys; search, sort keys and class keys all go through it, so
/// "Nathanaël", "NATHANAEL" and "nathanael" are one key everywhere.
public enum Folding {
    /// Letters that Unicode does not decompose into a base letter plus a combining mark.
    private static let spelledOut: [Character: String] = [
        "œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ẞ": "ss", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o",
        "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i", "ŀ": "l", "Ŀ": "l",
    ]

    /// The folded form of `text`: lower case, no accents, ligatures spelled out; punctuation kept.
    public static func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for character in text {
            if let spelled = spelledOut[character] {
                out.append(contentsOf: spelled.unicodeScalars)
                continue
            }
            if character.isASCII {
                for scalar in character.lowercased().unicodeScalars { out.append(scalar) }
                continue
            }
            // Canonical decomposition, then drop the combining marks (U+0300…U+036F and friends).
            for scalar in String(character).decomposedStringWithCanonicalMapping.unicodeScalars
            where !scalar.properties.isDiacritic || scalar.properties.isAlphabetic {
                if scalar.properties.generalCategory == .nonspacingMark { continue }
                out.append(contentsOf: String(scalar).lowercased().unicodeScalars)
            }
        }
        return String(out)
    }

    /// The words of `text` once folded: runs of letters and digits; apostrophes, hyphens, dots and spaces separate.
    public static func words(_ text: String) -> [String] {
        fold(text).split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// A key with every separator removed: "N'Diaye" → "ndiaye", "2NDE 3" → "2nde3", "Le Goff" → "legoff".
    public static func key(_ text: String) -> String {
        words(text).joined()
    }

    /// The key that orders people the way a French register does: last name, then first name, accents folded,
    /// punctuation and spaces ignored. The separator (U+0001) sorts before every letter, so "Le" < "Lebrun".
    public static func sortKey(lastName: String, firstName: String) -> String {
        key(lastName) + "\u{1}" + key(firstName)
    }
}
