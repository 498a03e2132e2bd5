import Foundation
import Testing
@testable import Mail

@Suite struct HeaderEncodingTests {
    @Test func asciiSubjectStaysAsIs() {
        #expect(HeaderEncoding.text("Votre compte ENT") == "Votre compte ENT")
    }

    @Test func accentedNameBecomesEncodedWordsThatDecodeBack() throws {
        let encoded = HeaderEncoding.mailbox(
            MailAddress("vie-scolaire@lycee.example.org", name: "Lycée Jean-Jaurès — Vie scolaire"))
        #expect(encoded.hasSuffix(" <vie-scolaire@lycee.example.org>"))
        #expect(encoded.allSatisfy { $0.isASCII })
        let words = encoded.dropLast(" <vie-scolaire@lycee.example.org>".count).split(separator: " ")
        #expect(words.allSatisfy { $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") && $0.count <= 75 })
        let decoded = try words.map { word -> String in
            let base64 = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            return String(decoding: try #require(Data(base64Encoded: String(base64))), as: UTF8.self)
        }.joined()
        #expect(decoded == "Lycée Jean-Jaurès — Vie scolaire")
    }

    @Test func longTextIsCutBetweenCharactersNeverInsideOne() throws {
        let name = String(repeating: "é", count: 40) + "Nguyễn"
        let words = HeaderEncoding.encodedWords(name).split(separator: " ")
        #expect(words.count > 1)
        let parts = try words.map { word in
            try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
        }
        #expect(parts.allSatisfy { String(data: $0, encoding: .utf8) != nil })
    }

    @Test func dateIsRFC5322InUTC() {
        #expect(HeaderEncoding.date(Date(timeIntervalSince1970: 1_795_249_800)) == "Sat, 21 Nov 2026 08:30:00 +0000")
    }

    @Test func onlyPlainAddressesAreSendable() {
        #expect(MailAddress("aissatou.ndiaye@gmail.com").isPlain)
        #expect(!MailAddress("a@b.org\r\nBcc: x@y.org").isPlain)
        #expect(!MailAddress("Name <a@b.org>").isPlain)
        #expect(!MailAddress("no-at-sign.org").isPlain)
    }
}
