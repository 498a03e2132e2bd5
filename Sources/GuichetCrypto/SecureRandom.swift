// Unpredictable values for codes, tokens and salts, all from libsodium's CSPRNG (getrandom(2) on Linux).
import CSodium

/// Cryptographically secure random values.
public enum SecureRandom {
    /// `count` random bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "negative byte count")
        Sodium.ensureInitialised()
        var out = [UInt8](repeating: 0, count: count)
        randombytes_buf(&out, count)
        return out
    }

    /// A uniform value in `0 ..< upperBound`, without modulo bias (libsodium rejects the biased tail).
    public static func uniform(_ upperBound: UInt32) -> UInt32 {
        // libsodium returns 0 for an upper bound below 2; asking for a value below 0 is a bug.
        precondition(upperBound > 0, "upper bound must be positive")
        Sodium.ensureInitialised()
        return randombytes_uniform(upperBound)
    }

    /// `length` characters drawn independently and uniformly from `alphabet` (e.g. activation or
    /// renewal codes over `abcdefghjkmnprstvwxyz3456789`).
    public static func code(length: Int, alphabet: [Character]) -> String {
        precondition(length >= 0, "negative code length")
        precondition(!alphabet.isEmpty && alphabet.count <= Int(UInt32.max), "alphabet size out of range")
        let size = UInt32(alphabet.count)
        var result = ""
        result.reserveCapacity(length)
        for _ in 0..<length { result.append(alphabet[Int(uniform(size))]) }
        return result
    }

    /// `byteCount` random bytes as URL-safe base64 without padding (`A–Z a–z 0–9 - _`): safe in a
    /// cookie, a URL or a form field without escaping. 32 bytes give 43 characters.
    public static func token(byteCount: Int = 32) -> String {
        let raw = bytes(byteCount)
        let variant = Int32(sodium_base64_VARIANT_URLSAFE_NO_PADDING)
        // Includes the terminating NUL, per the libsodium documentation.
        let capacity = sodium_base64_encoded_len(raw.count, variant)
        var out = [CChar](repeating: 0, count: capacity)
        let written = sodium_bin2base64(&out, capacity, raw, raw.count, variant)
        // sodium_bin2base64 only fails (returns NULL, or aborts) when the buffer is too small,
        // which the length computed above rules out.
        precondition(written != nil, "sodium_bin2base64: buffer too small")
        return decodeNulTerminated(out)
    }
}
