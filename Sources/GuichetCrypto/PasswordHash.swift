// Staff password storage: Argon2id through libsodium's self-describing string format
// ("$argon2id$v=19$m=65536,t=2,p=1$salt$hash"), so the parameters travel with each hash and
// can be raised later (`needsRehash`) without a migration.
import CSodium

/// Argon2id password hashes at libsodium's "interactive" limits (~85 ms, 64 MiB on the target machine).
public enum PasswordHash {
    // Interactive limits: sign-in must feel instant; the desk has a handful of staff, not millions.
    private static var opsLimit: UInt64 { UInt64(crypto_pwhash_opslimit_interactive()) }
    private static var memLimit: Int { Int(crypto_pwhash_memlimit_interactive()) }
    private static var stringBytes: Int { Int(crypto_pwhash_strbytes()) }

    /// Hashes `password` with a fresh random salt; the result is an ASCII string to store as is.
    /// Throws when libsodium cannot get the memory it needs.
    public static func hash(_ password: String) throws -> String {
        Sodium.ensureInitialised()
        // Bytes, not a C string: a password may contain anything, and libsodium takes a length.
        let secret = password.utf8.map { CChar(bitPattern: $0) }
        var out = [CChar](repeating: 0, count: stringBytes)
        let code = crypto_pwhash_str(&out, secret, UInt64(secret.count), opsLimit, memLimit)
        guard code == 0 else {
            // libsodium: "returns 0 on success and -1 if the computation didn't complete, usually
            // because the operating system refused to allocate the amount of requested memory."
            throw CryptoError(function: "crypto_pwhash_str", code: code,
                              context: "hashing a password at interactive limits")
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
