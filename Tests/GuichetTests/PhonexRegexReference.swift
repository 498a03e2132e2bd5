import Foundation

/// Phonex as it was first written, each rule the regular expression the published algorithm states, applied with
/// `NSRegularExpression` (the talisman library's rules and order). `Phonex` rewrites the same rules by hand, for speed
/// (a regular expression pass per rule cost about 0.15M instructions per word); `PhonexTests` checks that both give
/// the same code for many names and random strings.
enum PhonexRegexReference {
    private static let accented: [Character: Character] = [
        "À": "A", "Â": "A", "Ä": "A", "Ã": "A", "É": "Y", "È": "Y", "Ê": "Y", "Ë": "Y", "Ì": "I", "Î": "I", "Ï": "I",
        "Ò": "O", "Ô": "O", "Ö": "O", "Õ": "O", "Ù": "U", "Û": "U", "Ü": "U", "Ñ": "N"
    ]
    private static let singleLetters: [Character: Character] = [
        "A": "O", "D": "T", "P": "T", "J": "G", "B": "F", "V": "F", "M": "N"
    ]

    /// (pattern, template, every occurrence or the first only).
    private static let rules: [(NSRegularExpression, String, Bool)] = [
        ("Y", "I", true),
        ("([^PCS])H", "$1", true),
        ("PH", "F", true),
        ("G(AI?[NM])", "K$1", true),
        ("[AE]I[NM]([AEIOU])", "YN$1", true),
        ("EAU", "O", false),
        ("OUA", "2", false),
        ("[EA]I[NM]", "4", true),
        ("[EA]I", "Y", true),
        ("E([RTZ])", "Y$1", true),
        ("ESS", "YS", true),
        ("[AOE]N([^AEIOU1234])", "1$1", true),
        ("[AE]M([^AEIOU1234])", "1$1", true),
        ("IN([^AEIOU1234])", "4$1", true),
        ("([AEIOUY1234])S([AEIOUY1234])", "$1Z$2", true),
        ("(?:OE|EU)", "E", true),
        ("AU", "O", true),
        ("O[IY]", "2", true),
        ("OU", "3", true),
        ("(?:SCH|CH|SH)", "5", true),
        ("SS", "S", true),
        ("SC?([EIY])", "S$1", true),
        ("(?:GU|QU|Q|C)", "K", true),
        ("G([AOY])", "K$1", true)
    ].map { pattern, template, global in
        (try! NSRegularExpression(pattern: pattern), template, global)
    }

    static func code(_ word: String) -> String {
        var code = String(
            word.uppercased().compactMap { c -> Character? in
                let c = accented[c] ?? c
                return c.isASCII && c.isLetter ? c : nil
            })
        for (regex, template, global) in rules {
            let whole = NSRange(code.startIndex..., in: code)
            if global {
                code = regex.stringByReplacingMatches(in: code, range: whole, withTemplate: template)
            } else if let first = regex.firstMatch(in: code, range: whole) {
                let replaced = regex.replacementString(for: first, in: code, offset: 0, template: template)
                code = (code as NSString).replacingCharacters(in: first.range, with: replaced)
            }
        }
        var squeezed: [Character] = []
        for c in code.map({ singleLetters[$0] ?? $0 }) where squeezed.last != c { squeezed.append(c) }
        if let last = squeezed.last, last == "T" || last == "X" { squeezed.removeLast() }
        return String(squeezed)
    }
}
