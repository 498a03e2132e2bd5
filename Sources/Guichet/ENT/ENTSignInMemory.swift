import Foundation
import GuichetCrypto

/// A refused sign-in of the ENT's administrator account, remembered across processes, so that `guichet serve`,
/// the nightly `guichet ent fetch` and a `guichet renew` by hand do not each try the same wrong password again and
/// drive the account into the ENT's ban (entcore bans a login after a few failures, even for a right password).
///
/// Format: one file beside the database, `<database>.ent-sign-in-refused`, mode 0600, JSON
/// `{"version": 1, "login", "refusedAt" (UTC ISO 8601), "reason", "fingerprint"}`. `fingerprint` is an Argon2id hash
/// (libsodium's self-describing string, a random salt in it) of the login and the password that were refused:
/// never the password, and slow to guess from. Valid if and only if: the file parses and `version` is 1; a file that
/// does not is reported and counts as a refusal (Guichet never retries on a doubt), until `ent check --retry`.
///
/// The refusal holds while the configured login and password are the ones it was made with. A new password (the
/// credential or the file changed), or `guichet ent check --retry`, clears it; a successful sign-in removes it.
public struct ENTSignInMemory: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// `<database>.ent-sign-in-refused`.
    public init(besideDatabase databasePath: String) { path = databasePath + ".ent-sign-in-refused" }

    /// What is remembered: when and why. `matches` says whether it was made with the password in force.
    public struct Refusal: Sendable, Equatable {
        public let refusedAt: Date?
        public let reason: String
        public let matches: Bool
    }

    private struct Stored: Codable {
        var version: Int
        var login: String
        var refusedAt: String
        var reason: String
        var fingerprint: String
    }

    /// The refusal on file for `login` and `password`, nil when there is none. A file written for another login or
    /// another password comes back with `matches == false` (the caller clears it and tries again).
    public func refusal(login: String, password: String) -> Refusal? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let stored = try? JSONDecoder().decode(Stored.self, from: data), stored.version == 1 else {
            return Refusal(
                refusedAt: nil,
                reason: "\(path) is not a refusal Guichet can read; remove it with `guichet ent check --retry`", matches: true)
        }
        let same = stored.login == login && PasswordHash.verify(Self.secret(login, password), hash: stored.fingerprint)
        return Refusal(refusedAt: Timestamp.parse(stored.refusedAt), reason: stored.reason, matches: same)
    }

    /// Remembers that `login` was refused with `password` (replacing the file atomically and durably, mode 0600:
    /// a refusal lost in a power cut would let the next process try the same password again).
    public func remember(login: String, password: String, reason: String, at date: Date) throws {
        let stored = Stored(
            version: 1, login: login, refusedAt: Timestamp.format(date), reason: reason,
            fingerprint: try PasswordHash.hash(Self.secret(login, password)))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = Array(try encoder.encode(stored)) + [UInt8(ascii: "\n")]
        do {
            try PrivateFile.writeAtomically(bytes, to: path, placement: .replacing)
        } catch {
            throw ENTMemoryError(path: path, reason: error.reason)
        }
    }

    /// Forgets the refusal (a new password, `--retry`, a successful sign-in). Absent already is fine.
    public func clear() throws {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw ENTMemoryError(path: path, reason: String(cString: strerror(errno)))
        }
    }

    private static func secret(_ login: String, _ password: String) -> String { "guichet-ent-admin\n\(login)\n\(password)" }
}

/// The refusal file could not be written or removed.
public struct ENTMemoryError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}
