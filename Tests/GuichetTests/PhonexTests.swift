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
}
