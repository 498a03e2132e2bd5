import Foundation
import Testing
import HTTPServer
@testable import Guichet
@testable import GuichetServer

/// The search's answer is written by hand (`SearchResult+JSON.swift`): it must stay what `JSONEncoder` writes.
@Suite struct SearchAnswerTests {
    private func accounts(_ texts: [String]) -> [AccountSummary] {
        texts.enumerated().map { i, text in
            AccountSummary(
                login: "l\(i).\(text)", firstName: text, lastName: "Nom " + text,
                profile: Profile.allCases[i % Profile.allCases.count],
                classes: i % 3 == 0 ? [] : [text, "2NDE 3"], activated: i % 2 == 0, hasEmail: i % 3 == 1,
                children: i % 2 == 0 ? [] : [text, "x"], parents: [text], goneFromFeed: i % 2 == 0 ? nil : "2026-11-21")
        }
    }

    @Test func searchAnswersAreWhatJSONEncoderWrites() {
        let texts = [
            "Zoé", "N'Diaye", "a/b", #"quo"te"#, #"back\slash"#, "Cœur 😀", "\u{2028}x\u{2029}", "\u{7F}", "Ünal-Éric", "",
            #""Zoé" \ d'Éric""#, #"\"#, "\"", "é\u{301}", "Ⓐ\u{FEFF}ß", "ÉLODIE MARTIN-DUBOIS"
        ]
        for result in [
            SearchResult(results: accounts(texts), total: 1234, totalIsExact: false, nearSpelling: true),
            SearchResult(results: accounts(texts), total: 3, totalIsExact: true, nearSpelling: true, widenedFrom: 1),
            SearchResult(results: [], total: 0, totalIsExact: true, nearSpelling: false)
        ] {
            let answer = result.response
            #expect(answer.status == 200 && answer.headers["Content-Type"] == "application/json")
            #expect(String(decoding: answer.body, as: UTF8.self) == String(decoding: Response.json(result).body, as: UTF8.self))
            #expect(answer.body == Response.json(result).body)
        }
    }

    @Test func aControlCharacterIsLeftToJSONEncoder() {
        let result = SearchResult(
            results: accounts(["tab\there", "new\nline"]), total: 2, totalIsExact: true, nearSpelling: false)
        #expect(result.response.body == Response.json(result).body)
        // After a name that was copied whole, and after one with a quote escaped.
        for texts in [["Zoé", "x\u{1F}"], [#"a"b"#, "\u{0}"], ["Éric\r"]] {
            let late = SearchResult(results: accounts(texts), total: 2, totalIsExact: true, nearSpelling: false)
            #expect(late.response.body == Response.json(late).body)
        }
    }
}
