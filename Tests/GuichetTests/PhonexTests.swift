import Foundation
import Testing
@testable import Guichet

@Suite struct PhonexTests {
    /// The published examples: Brouard's own (PHYLAURHEIMSMET) and the names of the talisman library's test of the
    /// same algorithm.
    @Test func codesThePublishedExamples() {
        let published = [
            ("PHYLAURHEIMSMET", "FILOR4SNY"), ("Martin", "NORTIN"), ("Bernard", "FYRNOR"), ("Faure", "FORE"),
            ("Perez", "TYRYZ"), ("Gros", "GROS"), ("Chapuis", "5OTUIS"), ("Boyer", "F2YR"), ("Gauthier", "KOTIYR"),
            ("Rey", "RY"), ("Barthélémy", "FORTILINI"), ("Henry", "H1RI"), ("Moulin", "N3LIN"), ("Rousseau", "R3SO")
        ]
        for (name, code) in published { #expect(Phonex.code(name) == code, "\(name)") }
    }

    @Test func desksSoundAlikesShareACode() {
        for (a, b) in [("raubert", "robert"), ("nguien", "nguyen"), ("conceycao", "conceicao"), ("gautier", "gauthier")] {
            #expect(Phonex.code(a) == Phonex.code(b), "\(a) \(b)")
        }
        #expect(Phonex.code("martin") != Phonex.code("bernard"))
        #expect(Phonex.code("") == "" && Phonex.code("2") == "")
    }

    /// The hand-written rules give the regular expressions' code (`PhonexRegexReference`, the rules as published) for
    /// the demo generator's names (its lists, and its generated tail of surnames, as written, folded and run
    /// together), every string of up to three letters, every four-letter string of the letters the rules read most,
    /// and random strings, some with accents, digits and signs.
    @Test func handWrittenRulesGiveTheRegularExpressionsCode() throws {
        var words = Set<String>()
        let demo = try String(contentsOf: Self.demoExport, encoding: .utf8)
        func add(_ name: String) {
            words.insert(name)
            words.insert(name.uppercased())
            let folded = Folding.words(name)
            words.formUnion(folded)
            words.insert(folded.joined())
        }
        for name in Self.literals(in: demo) { add(name) }
        let (consonantRoots, vowelRoots) = (Self.tuple("TAIL_CONSONANT_ROOTS", demo), Self.tuple("TAIL_VOWEL_ROOTS", demo))
        let (links, vowelEndings) = (Self.tuple("TAIL_LINKS", demo), Self.tuple("TAIL_VOWEL_ENDINGS", demo))
        let consonantEndings = Self.tuple("TAIL_CONSONANT_ENDINGS", demo)
        #expect(consonantRoots.count > 50 && vowelEndings.count > 20 && consonantEndings.count > 20)
        for root in consonantRoots {
            for ending in vowelEndings { add(root + ending) }
            for link in links { for ending in consonantEndings { add(root + link + ending) } }
        }
        for root in vowelRoots { for ending in consonantEndings { add(root + ending) } }
        for name in SearchOracleTests.lastNames + SearchOracleTests.firstNames { add(name) }
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var short = [""]
        for _ in 1...3 {
            short = short.flatMap { s in letters.map { s + String($0) } }
            words.formUnion(short)
        }
        let busy = Array("AEIOUYHNMSCG")
        var four = [""]
        for _ in 1...4 { four = four.flatMap { s in busy.map { s + String($0) } } }
        words.formUnion(four)
        var rng = SeededGenerator(state: 20261202)
        let drawn = Array("aeiouyhnmscgqptdrzbvjxklfwAEIOUYHNSCéèëàâôîïüûçñßœ -'2")
        for _ in 0..<20000 {
            words.insert(String((0..<Int.random(in: 1...14, using: &rng)).map { _ in drawn.randomElement(using: &rng)! }))
        }
        #expect(words.count > 60000)
        var differ: [String] = []
        for word in words where Phonex.code(word) != PhonexRegexReference.code(word) {
            differ.append("\(word): \(Phonex.code(word)), expected \(PhonexRegexReference.code(word))")
        }
        #expect(differ.isEmpty, "\(differ.count) of \(words.count) differ: \(differ.sorted().prefix(10))")
    }

    static let demoExport = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scripts/demo-export.py")

    /// Every double-quoted string literal of a Python source.
    static func literals(in source: String) -> [String] {
        let literal = try! NSRegularExpression(pattern: #""([^"\\\n]*)""#)
        let all = NSRange(source.startIndex..., in: source)
        return literal.matches(in: source, range: all).compactMap {
            Range($0.range(at: 1), in: source).map { String(source[$0]) }
        }
    }

    /// The strings of the tuple `NAME = (…)` of a Python source.
    static func tuple(_ name: String, _ source: String) -> [String] {
        guard let start = source.range(of: "\n" + name + " = ("),
            let end = source.range(of: ")", range: start.upperBound..<source.endIndex)
        else { return [] }
        return literals(in: String(source[start.upperBound..<end.lowerBound]))
    }
}
