import GuichetCrypto
import Testing

struct BytesTests {
    @Test func constantTimeEqualComparesContentAndLength() {
        #expect(constantTimeEqual([], []))
        #expect(constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!constantTimeEqual([1, 2, 3], [1, 2]))
        let mac = Digest.sha256(Array("x".utf8))
        #expect(constantTimeEqual(mac, Digest.sha256(Array("x".utf8))))
    }

    @Test func hexRoundTrips() {
        #expect(hexString([]) == "")
        #expect(hexString([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(bytes(fromHex: "000fa0ff") == [0x00, 0x0f, 0xa0, 0xff])
        #expect(bytes(fromHex: "000FA0FF") == [0x00, 0x0f, 0xa0, 0xff])
        #expect(bytes(fromHex: "") == [])
        let random = SecureRandom.bytes(64)
        #expect(bytes(fromHex: hexString(random)) == random)
    }

    @Test func hexRejectsOddLengthAndNonHex() {
        #expect(bytes(fromHex: "abc") == nil)
        #expect(bytes(fromHex: "zz") == nil)
        #expect(bytes(fromHex: "ab cd") == nil)
        #expect(bytes(fromHex: "é0") == nil)
    }
}
