import GuichetCrypto
import Testing

struct SecureRandomTests {
    static let alphabet = Array("abcdefghjkmnprstvwxyz3456789")

    @Test func bytesHaveTheRequestedLengthAndDiffer() {
        #expect(SecureRandom.bytes(0).isEmpty)
        #expect(SecureRandom.bytes(32).count == 32)
        #expect(SecureRandom.bytes(32) != SecureRandom.bytes(32))
    }

    @Test func uniformStaysBelowTheBound() {
        #expect(SecureRandom.uniform(1) == 0)
        for _ in 0..<1000 { #expect(SecureRandom.uniform(7) < 7) }
    }

    @Test func codeHasTheLengthAndOnlyAlphabetCharacters() {
        for _ in 0..<200 {
            let code = SecureRandom.code(length: 8, alphabet: Self.alphabet)
            #expect(code.count == 8)
            #expect(code.allSatisfy(Self.alphabet.contains))
        }
        #expect(SecureRandom.code(length: 0, alphabet: Self.alphabet).isEmpty)
    }

    /// Chi-square goodness of fit over the 28-character alphabet: 280,000 draws (10,000 expected per
    /// character), 27 degrees of freedom. The threshold 90.16 is the 1 - 1e-8 quantile, so a correct
    /// generator fails this test once in a hundred million runs; a modulo bias or an off-by-one in the
    /// index fails it every time.
    @Test func codeCharactersAreUniform() {
        var counts: [Character: Int] = [:]
        for _ in 0..<35_000 {
            for character in SecureRandom.code(length: 8, alphabet: Self.alphabet) { counts[character, default: 0] += 1 }
        }
        #expect(counts.count == Self.alphabet.count)
        let expected = 280_000.0 / Double(Self.alphabet.count)
        let chiSquare = Self.alphabet.reduce(0.0) { sum, character in
            let deviation = Double(counts[character, default: 0]) - expected
            return sum + deviation * deviation / expected
        }
        #expect(chiSquare < 90.16, "chi-square \(chiSquare) over 27 degrees of freedom")
    }

    @Test func tokenIsURLSafeBase64WithoutPadding() {
        let token = SecureRandom.token()
        #expect(token.count == 43)  // ceil(32 * 4 / 3) without "="
        let urlSafe = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        #expect(token.allSatisfy(urlSafe.contains))
        #expect(SecureRandom.token(byteCount: 16).count == 22)
        #expect(SecureRandom.token() != SecureRandom.token())
    }
}
