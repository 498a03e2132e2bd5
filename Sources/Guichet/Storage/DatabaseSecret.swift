import Foundation
import GuichetCrypto

/// The secret beside the database (`<database>.key`, `RenewalKey`'s file), and the keys derived from it for each use:
/// one file to back up with the database, and a key per purpose so that no MAC of one kind can stand for another.
/// Read (or created, mode 0600) on first use, then kept for the life of the `GuichetDatabase`.
final class DatabaseSecret: @unchecked Sendable {
    // @unchecked: `loaded` is read and written only under `lock`.
    let databasePath: String
    private let lock = NSLock()
    private var loaded: [UInt8]?

    init(databasePath: String) {
        self.databasePath = databasePath
    }

    var keyPath: String { RenewalKey.path(besideDatabase: databasePath) }

    /// HMAC-SHA-256(file key, "guichet-key\\n" + purpose): the key of one purpose.
    func key(for purpose: String) throws -> [UInt8] {
        let master = try lock.withLock {
            if let loaded { return loaded }
            let key = try RenewalKey.loadOrCreate(at: keyPath).bytes
            loaded = key
            return key
        }
        return Digest.hmacSHA256(key: master, message: Array("guichet-key\n\(purpose)".utf8))
    }
}
