/// Phonex, Frédéric Brouard's phonetic code for French names (1998, "L'art des Soundex",
/// sqlpro.developpez.com/cours/soundex), in its letter form: the rules rewrite the name's sounds ("AU" → O, "OU" →
/// 3, "AIN" → 4, "CH" → 5…), then B/V → F, P/D → T, M → N, A → O, J → G, repeated codes are squeezed and a final T or
/// X is dropped. "Martin" → NORTIN, "Rousseau" → R3SO, "Raubert" and "Robert" → ROFYR.
///
/// The rules and their order are those of the published algorithm as the talisman library writes them (including
/// its one change, "SC?[EIY]" → S); `PhonexTests` checks the published examples. Two rules replace only their
/// first occurrence ("EAU", "OUA"), as published.
///
/// Each rule is written as its regular expression would apply it (`rules` below quotes it): from the left, a match
/// is replaced and the scan goes on after it, so that the letters a match used are not looked at again by the same
/// rule ("ASASA": ([AEIOUY1234])S([AEIOUY1234]) gives AZASA). The regular expressions themselves
/// (`NSRegularExpression`, one pass over the word each) cost about 0.15M instructions per word, 6% of a one-typo
/// query, and 10M to compile once; the test target keeps them as the reference this code is compared with.
///
/// The search folds names before coding them (`Folding.words`: "é" is "e" by then), so the code of a folded name is
/// what both the index and a typed word use; the accent table below serves text that was not folded.
public enum Phonex {
    private static let accented: [Character: Character] = [
        "À": "A", "Â": "A", "Ä": "A", "Ã": "A", "É": "Y", "È": "Y", "Ê": "Y", "Ë": "Y", "Ì": "I", "Î": "I", "Ï": "I",
        "Ò": "O", "Ô": "O", "Ö": "O", "Õ": "O", "Ù": "U", "Û": "U", "Ü": "U", "Ñ": "N"
    ]

    /// The Phonex code of one word; empty when it holds no letter.
    public static func code(_ word: String) -> String {
        var code = letters(word)
        guard !code.isEmpty else { return "" }
        var out: [UInt8] = []
        out.reserveCapacity(code.count + 4)
        for rule in Rule.allCases {
            rewrite(&code, rule, into: &out)
            swap(&code, &out)
        }
        var squeezed: [UInt8] = []
        squeezed.reserveCapacity(code.count)
        for c in code {
            let c = single(c)
            if squeezed.last != c { squeezed.append(c) }
        }
        if let last = squeezed.last, last == .T || last == .X { squeezed.removeLast() }
        return String(decoding: squeezed, as: UTF8.self)
    }

    /// The word's letters in capitals, A to Z (accented capitals as the table says), everything else left out.
    private static func letters(_ word: String) -> [UInt8] {
        var out: [UInt8] = []
        let utf8 = word.utf8
        out.reserveCapacity(utf8.count)
        if utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: a letter's capital is one byte away, and nothing else is a letter.
            for b in utf8 {
                switch b {
                case UInt8(ascii: "a")...UInt8(ascii: "z"): out.append(b - 32)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): out.append(b)
                default: break
                }
            }
            return out
        }
        // Other text as Swift's capitals give it ("ß" → SS), then the accents' table.
        for c in word.uppercased() {
            let c = accented[c] ?? c
            if c.isASCII && c.isLetter, let b = c.asciiValue { out.append(b) }
        }
        return out
    }

    /// A → O, D and P → T, J → G, B and V → F, M → N.
    private static func single(_ c: UInt8) -> UInt8 {
        switch c {
        case .A: .O
        case .D, .P: .T
        case .J: .G
        case .B, .V: .F
        case .M: .N
        default: c
        }
    }

    /// The rules, in order, each with the regular expression and template it stands for (all replace every match but
    /// `eau` and `oua`, which replace the first only).
    private enum Rule: CaseIterable {
        case y  // Y → I
        case mutedH  // ([^PCS])H → $1
        case ph  // PH → F
        case gain  // G(AI?[NM]) → K$1
        case ainVowel  // [AE]I[NM]([AEIOU]) → YN$1
        case eau  // EAU → O, first only
        case oua  // OUA → 2, first only
        case ain  // [EA]I[NM] → 4
        case ai  // [EA]I → Y
        case er  // E([RTZ]) → Y$1
        case ess  // ESS → YS
        case an  // [AOE]N([^AEIOU1234]) → 1$1
        case am  // [AE]M([^AEIOU1234]) → 1$1
        case `in`  // IN([^AEIOU1234]) → 4$1
        case voicedS  // ([AEIOUY1234])S([AEIOUY1234]) → $1Z$2
        case eu  // (?:OE|EU) → E
        case au  // AU → O
        case oi  // O[IY] → 2
        case ou  // OU → 3
        case ch  // (?:SCH|CH|SH) → 5
        case ss  // SS → S
        case sc  // SC?([EIY]) → S$1
        case k  // (?:GU|QU|Q|C) → K
        case ga  // G([AOY]) → K$1

        var firstOnly: Bool { self == .eau || self == .oua }
    }

    /// `code` with one rule applied, written to `out`: from the left, each match replaced and the scan resumed after
    /// it, as `NSRegularExpression.stringByReplacingMatches` (or, for a first-only rule, `firstMatch`) does.
    private static func rewrite(_ code: inout [UInt8], _ rule: Rule, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        code.withUnsafeBufferPointer { s in
            var i = 0
            var replaced = false
            while i < s.count {
                let used = replaced ? 0 : apply(rule, s, i, &out)
                if used == 0 {
                    out.append(s[i])
                    i += 1
                } else {
                    i += used
                    if rule.firstOnly { replaced = true }
                }
            }
        }
    }

    /// Whether `rule` matches `s` at `i`: the number of letters it uses, its replacement appended to `out`; 0, and
    /// nothing appended, when it does not.
    @inline(__always)
    private static func apply(_ rule: Rule, _ s: UnsafeBufferPointer<UInt8>, _ i: Int, _ out: inout [UInt8]) -> Int {
        // Past the end reads 0, which no code holds.
        @inline(__always) func at(_ k: Int) -> UInt8 { k < s.count ? s[k] : 0 }
        let c = s[i], n1 = at(i + 1), n2 = at(i + 2)
        switch rule {
        case .y:
            guard c == .Y else { return 0 }
            out.append(.I)
            return 1
        case .mutedH:
            guard n1 == .H, c != .P, c != .C, c != .S else { return 0 }
            out.append(c)
            return 2
        case .ph:
            guard c == .P, n1 == .H else { return 0 }
            out.append(.F)
            return 2
        case .gain:
            guard c == .G, n1 == .A else { return 0 }
            if n2 == .I, isNM(at(i + 3)) {
                out.append(contentsOf: [.K, .A, .I, at(i + 3)])
                return 4
            }
            guard isNM(n2) else { return 0 }
            out.append(contentsOf: [.K, .A, n2])
            return 3
        case .ainVowel:
            let n3 = at(i + 3)
            guard c == .A || c == .E, n1 == .I, isNM(n2), isVowel(n3) else { return 0 }
            out.append(contentsOf: [.Y, .N, n3])
            return 4
        case .eau:
            guard c == .E, n1 == .A, n2 == .U else { return 0 }
            out.append(.O)
            return 3
        case .oua:
            guard c == .O, n1 == .U, n2 == .A else { return 0 }
            out.append(.two)
            return 3
        case .ain:
            guard c == .E || c == .A, n1 == .I, isNM(n2) else { return 0 }
            out.append(.four)
            return 3
        case .ai:
            guard c == .E || c == .A, n1 == .I else { return 0 }
            out.append(.Y)
            return 2
        case .er:
            guard c == .E, n1 == .R || n1 == .T || n1 == .Z else { return 0 }
            out.append(contentsOf: [.Y, n1])
            return 2
        case .ess:
            guard c == .E, n1 == .S, n2 == .S else { return 0 }
            out.append(contentsOf: [.Y, .S])
            return 3
        case .an:
            guard c == .A || c == .O || c == .E, n1 == .N, isOther(n2) else { return 0 }
            out.append(contentsOf: [.one, n2])
            return 3
        case .am:
            guard c == .A || c == .E, n1 == .M, isOther(n2) else { return 0 }
            out.append(contentsOf: [.one, n2])
            return 3
        case .in:
            guard c == .I, n1 == .N, isOther(n2) else { return 0 }
            out.append(contentsOf: [.four, n2])
            return 3
        case .voicedS:
            guard n1 == .S, isVowelOrCode(c), isVowelOrCode(n2) else { return 0 }
            out.append(contentsOf: [c, .Z, n2])
            return 3
        case .eu:
            guard (c == .O && n1 == .E) || (c == .E && n1 == .U) else { return 0 }
            out.append(.E)
            return 2
        case .au:
            guard c == .A, n1 == .U else { return 0 }
            out.append(.O)
            return 2
        case .oi:
            guard c == .O, n1 == .I || n1 == .Y else { return 0 }
            out.append(.two)
            return 2
        case .ou:
            guard c == .O, n1 == .U else { return 0 }
            out.append(.three)
            return 2
        case .ch:
            if c == .S && n1 == .C && n2 == .H {
                out.append(.five)
                return 3
            }
            guard (c == .C || c == .S) && n1 == .H else { return 0 }
            out.append(.five)
            return 2
        case .ss:
            guard c == .S, n1 == .S else { return 0 }
            out.append(.S)
            return 2
        case .sc:
            guard c == .S else { return 0 }
            if n1 == .C, isEIY(n2) {
                out.append(contentsOf: [.S, n2])
                return 3
            }
            guard isEIY(n1) else { return 0 }
            out.append(contentsOf: [.S, n1])
            return 2
        case .k:
            if (c == .G || c == .Q) && n1 == .U {
                out.append(.K)
                return 2
            }
            guard c == .Q || c == .C else { return 0 }
            out.append(.K)
            return 1
        case .ga:
            guard c == .G, n1 == .A || n1 == .O || n1 == .Y else { return 0 }
            out.append(contentsOf: [.K, n1])
            return 2
        }
    }

    @inline(__always) private static func isNM(_ c: UInt8) -> Bool { c == .N || c == .M }
    @inline(__always) private static func isEIY(_ c: UInt8) -> Bool { c == .E || c == .I || c == .Y }
    /// [AEIOU]
    @inline(__always) private static func isVowel(_ c: UInt8) -> Bool {
        c == .A || c == .E || c == .I || c == .O || c == .U
    }
    /// [AEIOUY1234]
    @inline(__always) private static func isVowelOrCode(_ c: UInt8) -> Bool {
        isVowel(c) || c == .Y || (c >= .one && c <= .four)
    }
    /// [^AEIOU1234]: any letter or code but those; not past the end.
    @inline(__always) private static func isOther(_ c: UInt8) -> Bool {
        c != 0 && !isVowel(c) && !(c >= .one && c <= .four)
    }
}

/// The bytes Phonex reads and writes.
extension UInt8 {
    fileprivate static let A = UInt8(ascii: "A"), C = UInt8(ascii: "C"), D = UInt8(ascii: "D"), E = UInt8(ascii: "E")
    fileprivate static let B = UInt8(ascii: "B"), F = UInt8(ascii: "F"), G = UInt8(ascii: "G"), H = UInt8(ascii: "H")
    fileprivate static let I = UInt8(ascii: "I"), J = UInt8(ascii: "J"), K = UInt8(ascii: "K"), M = UInt8(ascii: "M")
    fileprivate static let N = UInt8(ascii: "N"), O = UInt8(ascii: "O"), P = UInt8(ascii: "P"), Q = UInt8(ascii: "Q")
    fileprivate static let R = UInt8(ascii: "R"), S = UInt8(ascii: "S"), T = UInt8(ascii: "T"), U = UInt8(ascii: "U")
    fileprivate static let V = UInt8(ascii: "V"), X = UInt8(ascii: "X"), Y = UInt8(ascii: "Y"), Z = UInt8(ascii: "Z")
    fileprivate static let one = UInt8(ascii: "1"), two = UInt8(ascii: "2"), three = UInt8(ascii: "3")
    fileprivate static let four = UInt8(ascii: "4"), five = UInt8(ascii: "5")
}
