import Foundation
import Testing
@testable import Guichet

/// The page's shortcuts against what they replace: the first accounts of the candidates without sorting them all, the
/// names begun counted on bytes, the importer's lists read in place.
@Suite struct SearchPageTests {
    @Test func theFirstAccountsAreThoseOfTheWholeSortEachAtItsBest() {
        var rng = SeededGenerator(state: 20261202)
        for _ in 0..<300 {
            let keys = ["dupont\u{1}anne", "dupont\u{1}paul", "martin\u{1}zoe", "lebrun\u{1}eva", "le\u{1}jean"]
            let candidates = (0..<Int.random(in: 0..<60, using: &rng)).map { _ in
                var c = Search.Candidate(
                    id: Int64.random(in: 1...25, using: &rng), tier: MatchTier(rawValue: Int.random(in: 0...4, using: &rng))!,
                    sortKey: keys.randomElement(using: &rng)!)
                c.edits = Int.random(in: 0...2, using: &rng)
                c.startsLogin = Bool.random(using: &rng)
                c.namesBegun = Int.random(in: 0...2, using: &rng)
                return c
            }
            let limit = Int.random(in: 1...20, using: &rng)
            var seen = Set<Int64>()
            let expected = candidates.sorted(by: Search.Candidate.before).filter { seen.insert($0.id).inserted }.prefix(limit)
            let got = Search.firstAccounts(candidates, limit: limit)
            #expect(got.map(\.id) == expected.map(\.id))
            #expect(got.map(\.rank) == expected.map(\.rank))
        }
    }

    @Test func theNamesBegunCountEachNameOnceEachByADifferentWord() {
        let begun = Search.NamesBegun(["le", "jean", "le", "pierre", "goff"])
        #expect(begun.count(in: "legoff\u{1}jeanpierre") == (2, 0))  // "le", "jean"; "pierre" and "goff" only occur
        #expect(begun.count(in: "pierre\u{1}le") == (2, 2))  // each the whole of a name
        #expect(begun.count(in: "le") == (0, 0))  // no separator: not a register key
        #expect(begun.count(in: "l\u{1}j") == (0, 0))
        #expect(Search.NamesBegun([]).count(in: "le\u{1}jean") == (0, 0))
        // Two words begin the first name: it counts once.
        #expect(Search.NamesBegun(["jean", "jeanne"]).count(in: "dupont\u{1}jeanne") == (1, 1))
        #expect(Search.NamesBegun(["an", "and"]).count(in: "andre\u{1}achille") == (1, 0))
        #expect(Search.NamesBegun(["an", "and"]).count(in: "andre\u{1}anais") == (2, 0))
        // One word begins both names: one of them counts, as no other word begins the other.
        #expect(Search.NamesBegun(["an", "x"]).count(in: "andre\u{1}anais") == (1, 0))
        #expect(Search.NamesBegun(["francois", "x"]).count(in: "francois\u{1}francois") == (1, 1))
    }

    @Test func listsAreReadInPlaceOrByJSONDecoderAlike() {
        let lists = [
            #"[]"#, #"[""]"#, #"["2NDE 3"]"#, #"["2NDE 3","TLE G2"]"#, #"["Élève","Collège Saint-Exupéry"]"#,
            #"["a\"b"]"#, #"["a\\b","c"]"#, #"["\u00e9"]"#, #"[ "a" ]"#, #"["a",]"#, #"["a""b"]"#, #"["a"#, "",
            "[\"a\u{1}b\"]", #"{"a":1}"#, #"[1]"#
        ]
        for list in lists {
            let decoded = (try? JSONDecoder().decode([String].self, from: Data(list.utf8))) ?? []
            #expect(AccountSummaries.decodeList(list) == decoded, "\(list)")
            if let plain = AccountSummaries.plainList(list) { #expect(plain == decoded, "\(list)") }
        }
        #expect(AccountSummaries.plainList(#"["2NDE 3","TLE G2"]"#) == ["2NDE 3", "TLE G2"])
        #expect(AccountSummaries.plainList(#"["a\"b"]"#) == nil)
    }
}
