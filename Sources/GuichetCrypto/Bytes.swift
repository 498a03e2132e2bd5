// Byte helpers that must not leak timing (comparison) or that every caller needs (hex).
import CSodium

/// True when `a` and `b` are equal, in time that depends only on their length: use it to compare
/// MACs, tokens and hashes. Different lengths are unequal (the length of a secret is not secret here).
public func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    Sodium.ensureInitialised()
    // libsodium: "returns 0 if the len bytes pointed to by b1_ match the len bytes pointed to by b2_
    // […] This function must be used instead of memcmp() when comparing secrets."
    return sodium_memcmp(a, b, a.count) == 0
}

/// Lowercase hexadecimal, two characters per byte.
public func hexString(_ bytes: [UInt8]) -> String {
    Sodium.ensureInitialised()
    // sodium_bin2hex needs room for the terminating NUL.
    let capacity = bytes.count * 2 + 1
    var out = [CChar](repeating: 0, count: capacity)
    _ = sodium_bin2hex(&out, capacity, bytes, bytes.count)
    return decodeNulTerminated(out)
}

/// The bytes spelt by `fromHex` (either case), or nil when it has an odd length or a non-hex character.
public func bytes(fromHex hex: String) -> [UInt8]? {
    Sodium.ensureInitialised()
    let digits = hex.utf8.map { CChar(bitPattern: $0) }
    guard digits.count % 2 == 0 else { return nil }
    let capacity = digits.count / 2
    var out = [UInt8](repeating: 0, count: capacity)
    var written = 0
    // With hex_end NULL, libsodium returns -1 unless the whole input was consumed.
    let code = sodium_hex2bin(&out, capacity, digits, digits.count, nil, &written, nil)
    guard code == 0, written == capacity else { return nil }
    return out
}
