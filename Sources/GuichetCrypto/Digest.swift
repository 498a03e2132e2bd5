// Hashes and MACs: SHA-256 for the journal's hash chain and stored renewal codes, HMAC-SHA-256 for
// keyed fingerprints (CSRF tokens, code lookups) that must not be recomputable without the key, SipHash for
// change detection (is this row what the last import wrote?).
import CSodium

/// SHA-256 and HMAC-SHA-256.
public enum Digest {
    /// SHA-256 of `bytes` (32 bytes).
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        Sodium.ensureInitialised()
        var out = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_bytes()))
        let code = crypto_hash_sha256(&out, bytes, UInt64(bytes.count))
        Sodium.expectZero(code, "crypto_hash_sha256")
        return out
    }

    /// HMAC-SHA-256 of `message` under `key` (32 bytes). Any key length works: the one-shot
    /// `crypto_auth_hmacsha256` requires a 32-byte key, the streaming API follows RFC 2104
    /// (a longer key is hashed first, a shorter one is zero-padded), which is what RFC 4231 tests.
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        Sodium.ensureInitialised()
        var state = crypto_auth_hmacsha256_state()
        var out = [UInt8](repeating: 0, count: Int(crypto_auth_hmacsha256_bytes()))
        let initCode = crypto_auth_hmacsha256_init(&state, key, key.count)
        Sodium.expectZero(initCode, "crypto_auth_hmacsha256_init")
        let updateCode = crypto_auth_hmacsha256_update(&state, message, UInt64(message.count))
        Sodium.expectZero(updateCode, "crypto_auth_hmacsha256_update")
        Sodium.expectZero(crypto_auth_hmacsha256_final(&state, &out), "crypto_auth_hmacsha256_final")
        // The state holds key-derived pads: wipe it rather than leave it on the stack.
        withUnsafeMutableBytes(of: &state) { sodium_memzero($0.baseAddress, $0.count) }
        return out
    }

    /// A 64-bit SipHash-2-4 (`crypto_shorthash`) of `bytes` under a fixed all-zero key: a fingerprint to notice that
    /// data changed, stable across runs. Not for anything an adversary could choose to collide.
    public static func fingerprint(_ bytes: UnsafeRawBufferPointer) -> Int64 {
        Sodium.ensureInitialised()
        var out: UInt64 = 0
        let code = withUnsafeMutableBytes(of: &out) { o in
            crypto_shorthash(
                o.baseAddress!.assumingMemoryBound(to: UInt8.self),
                bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count), fingerprintKey)
        }
        Sodium.expectZero(code, "crypto_shorthash")
        return Int64(bitPattern: UInt64(littleEndian: out))
    }

    private static let fingerprintKey = [UInt8](repeating: 0, count: Int(crypto_shorthash_keybytes()))
}
