// Staff password storage: Argon2id through libsodium's self-describing string format
// ("$argon2id$v=19$m=19456,t=2,p=1$salt$hash"), so the parameters travel with each hash and
// can be changed later (`needsRehash`) without a migration.
import CSodium

/// Argon2id password hashes at OWASP's recommended minimum (m = 19 MiB, t = 2, p = 1).
public enum PasswordHash {
    // OWASP Password Storage Cheat Sheet: "Use Argon2id with a minimum configuration of 19 MiB of memory, an
    // iteration count of 2, and 1 degree of parallelism." libsodium's "interactive" limits (64 MiB) added 64 MB to
    // the service's peak memory at each sign-in for no gain a desk needs; libsodium always uses p = 1.
    public static let opsLimit: UInt64 = 2
    public static let memLimit: Int = 19 * 1024 * 1024
    private static var stringBytes: Int { Int(crypto_pwhash_strbytes()) }

    /// Hashes `password` with a fresh random salt; the result is an ASCII string to store as is.
    /// Throws when libsodium cannot get the memory it needs.
    public static func hash(_ password: String) throws -> String {
        try hash(password, opsLimit: opsLimit, memLimit: memLimit)
    }

    /// Hashes at other limits: for tests that need a hash of yesterday's parameters.
    public static func hash(_ password: String, opsLimit: UInt64, memLimit: Int) throws -> String {
        Sodium.ensureInitialised()
        // Bytes, not a C string: a password may contain anything, and libsodium takes a length.
        let secret = password.utf8.map { CChar(bitPattern: $0) }
        var out = [CChar](repeating: 0, count: stringBytes)
        let code = crypto_pwhash_str(&out, secret, UInt64(secret.count), opsLimit, memLimit)
        guard code == 0 else {
            // libsodium: "returns 0 on success and -1 if the computation didn't complete, usually
            // because the operating system refused to allocate the amount of requested memory."
            throw CryptoError(
                function: "crypto_pwhash_str", code: code,
                context: "hashing a password (m = \(memLimit) bytes, t = \(opsLimit))")
        }
        return decodeNulTerminated(out)
    }

    /// True when `password` matches `hash`. A malformed or foreign hash never matches.
    public static func verify(_ password: String, hash: String) -> Bool {
        Sodium.ensureInitialised()
        // libsodium reads `str` as a C string of at most crypto_pwhash_STRBYTES bytes.
        guard hash.utf8.count < stringBytes, !hash.utf8.contains(0) else { return false }
        let secret = password.utf8.map { CChar(bitPattern: $0) }
        return crypto_pwhash_str_verify(hash, secret, UInt64(secret.count)) == 0
    }

    /// True when `hash` was made with other parameters than today's (or is not a hash we understand):
    /// rehash the password at the next successful sign-in.
    public static func needsRehash(_ hash: String) -> Bool {
        Sodium.ensureInitialised()
        guard hash.utf8.count < stringBytes, !hash.utf8.contains(0) else { return true }
        // libsodium: returns 0 if the parameters match, 1 if they differ, -1 if the string is not a
        // valid hash for the current algorithm. Both non-zero cases mean "replace it".
        return hash.withCString { crypto_pwhash_str_needs_rehash($0, opsLimit, memLimit) } != 0
    }
}
