import Foundation
import GuichetCrypto
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The secret key of the renewal codes' keyed hashes, in a file beside the database (`<database>.key`).
///
/// Format: exactly 32 random bytes, nothing else, mode 0600. Kept out of the database so that a copy of the
/// database alone (a backup, a WAL left on a USB stick) cannot be used to test guesses of a live code offline.
/// Losing the file only voids the codes issued so far (they can no longer be checked): a new key is made.
struct RenewalKey: Sendable {
    static let byteCount = 32
    let bytes: [UInt8]

    /// The key file of the database at `databasePath`.
    static func path(besideDatabase databasePath: String) -> String { databasePath + ".key" }

    /// Reads the key at `path`, creating it (mode 0600) when there is none.
    static func loadOrCreate(at path: String) throws -> RenewalKey {
        if let key = try readKey(path) { return key }
        try create(path)
        guard let key = try readKey(path) else { throw RenewalError.keyFile(path, "vanished right after it was created") }
        return key
    }

    private static func readKey(_ path: String) throws -> RenewalKey? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw RenewalError.keyFile(path, "cannot be opened: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw RenewalError.keyFile(path, "cannot be examined: \(String(cString: strerror(errno)))")
        }
        // Like ssh with a private key: a secret readable by others is refused rather than used.
        guard info.st_mode & 0o077 == 0 else {
            throw RenewalError.keyFile(path, "is readable by other users; run chmod 600 on it")
        }
        var buffer = [UInt8](repeating: 0, count: byteCount + 1)
        let count = read(fd, &buffer, buffer.count)
        guard count == byteCount else {
            throw RenewalError.keyFile(path, "must hold exactly \(byteCount) bytes (it holds \(count < 0 ? 0 : count)+)")
        }
        return RenewalKey(bytes: Array(buffer.prefix(byteCount)))
    }

    /// Writes a new key (`PrivateFile.writeAtomically`, never replacing): link(2) "fails with EEXIST" when the
    /// name exists, so two processes starting at once cannot both install a key, and nobody ever reads a key half
    /// written. The one that loses reads the winner's key.
    private static func create(_ path: String) throws {
        do {
            try PrivateFile.writeAtomically(SecureRandom.bytes(byteCount), to: path, placement: .neverReplacing)
        } catch  where error.alreadyExists {
            return
        } catch {
            throw RenewalError.keyFile(path, error.reason)
        }
    }

    /// HMAC-SHA-256 of the login and the code under this key, in hex. The login is part of the message so that one
    /// account's hash says nothing about another's; "\n" cannot occur in a login, which keeps the pair unambiguous.
    func mac(login: String, code: String) -> String {
        hexString(Digest.hmacSHA256(key: bytes, message: Array("guichet-renewal-v1\n\(login)\n\(code)".utf8)))
    }
}
