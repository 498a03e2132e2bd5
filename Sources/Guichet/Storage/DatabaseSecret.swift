import Foundation
import GuichetCrypto
#if canImport(Glibc)
    import Glibc
#endif

/// The journal's secret key beside the database (`<database>.journal-key`: 32 random bytes, mode 0600, the format
/// of `RenewalKey`'s file), and the keys derived from it for each use, so that no MAC of one kind can stand for
/// another: the chain's HMAC (`Journal+Key`) and the fingerprints of unknown sign-in names. Read on first use, then
/// kept for the life of the `GuichetDatabase`. A separate file from the renewal key: losing that one voids live codes
/// only, and it must stay so.
final class DatabaseSecret: @unchecked Sendable {
    // @unchecked: `loaded` and `derivedKeys` are read and written only under `lock`.
    let keyPath: String
    private let lock = NSLock()
    private var loaded: [UInt8]?
    /// Each purpose's key, derived once: every journal row is sealed with the chain's (an HMAC per row saved).
    private var derivedKeys: [String: [UInt8]] = [:]

    init(databasePath: String) {
        keyPath = Self.path(besideDatabase: databasePath)
    }

    init(keyPath: String) {
        self.keyPath = keyPath
    }

    static func path(besideDatabase databasePath: String) -> String { databasePath + ".journal-key" }

    /// The chain's key. Creates the file only when `create` (no keyed row exists yet): a missing key for a keyed
    /// journal is an error to report, not a reason to seal new rows under another key.
    func journalKey(create: Bool) throws -> [UInt8] {
        try derived("journal-chain", create: create)
    }

    /// The key of sign-in name fingerprints (`Staff.checkSignIn`), derived from the same file: made only when the
    /// chain's key may be (`Journal.mayCreateKey`), or a name typed at the sign-in form would re-key a journal
    /// whose key file is missing.
    func nameKey(create: Bool) throws -> [UInt8] {
        try derived("sign-in-name", create: create)
    }

    private func derived(_ purpose: String, create: Bool) throws -> [UInt8] {
        try lock.withLock {
            if let key = derivedKeys[purpose] { return key }
            let master: [UInt8]
            if let loaded {
                master = loaded
            } else {
                if !create && access(keyPath, F_OK) != 0 {
                    throw SecretError(
                        description: "the journal key \(keyPath) is missing; restore it from the backup taken with this database")
                }
                master = try RenewalKey.loadOrCreate(at: keyPath).bytes
                loaded = master
            }
            let key = Digest.hmacSHA256(key: master, message: Array("guichet-key\n\(purpose)".utf8))
            derivedKeys[purpose] = key
            return key
        }
    }
}

struct SecretError: Error, CustomStringConvertible {
    let description: String
}
