import Foundation
import GRDB
import GuichetCrypto

/// A connector's API key as listed (never the key, never its hash).
public struct APIKeyInfo: Codable, Sendable, Equatable {
    public let name: String
    public let createdAt: String
    public let createdBy: String?
    public let revokedAt: String?
}

public struct APIKeyError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: String, Sendable { case invalidName, exists, unknown, alreadyRevoked }
    public let kind: Kind
    public let name: String

    public var description: String {
        switch kind {
        case .invalidName: "\"\(name)\" is not a valid key name (2 to 64 letters, digits, '.', '-' or '_')"
        case .exists: "an API key named \"\(name)\" already exists"
        case .unknown: "no API key is named \"\(name)\""
        case .alreadyRevoked: "the API key \"\(name)\" is already revoked"
        }
    }
}

/// What a bearer key turned out to be.
public enum APIKeyCheck: Equatable, Sendable {
    case valid(name: String)
    case revoked(name: String)
    case unknown
}

/// API keys of the connectors (the ENT side) that redeem renewal codes. Table `api_key` (migration v3-renewal):
/// name (unique, case-insensitive), key_hash (hex SHA-256 of the key), created_at, created_by, revoked_at (DDL:
/// `Storage/schema.sql`).
///
/// A key is "gk_" + 32 random bytes in URL-safe base64: with 256 bits of entropy a plain SHA-256 is enough to
/// store it (nobody can search that space), and unlike a password it needs no slow hash, so every request can be
/// checked without cost. Keys are revoked, never deleted, so the journal's names always resolve.
public enum APIKeys {
    static let prefix = "gk_"

    /// Creates a key named `name` and returns it: the only time it exists in clear.
    public static func create(
        _ database: GuichetDatabase, name: String, by: String?, channel: Channel = .cli,
        now: Date = Date()
    ) throws -> String {
        guard name.count >= 2, name.count <= 64,
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) })
        else {
            throw APIKeyError(kind: .invalidName, name: name)
        }
        let key = prefix + SecureRandom.token(byteCount: 32)
        try database.writer.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM api_key WHERE name = ?", arguments: [name]) == true {
                throw APIKeyError(kind: .exists, name: name)
            }
            try db.execute(
                sql: "INSERT INTO api_key (name, key_hash, created_at, created_by) VALUES (?, ?, ?, ?)",
                arguments: [name, hash(key), Timestamp.format(now), by])
            try Journal.append(
                db, JournalEntry(staff: by, channel: channel, action: .apiKeyCreated, details: ["name": name]),
                at: now)
        }
        return key
    }

    public static func list(_ database: GuichetDatabase) throws -> [APIKeyInfo] {
        try database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT name, created_at, created_by, revoked_at FROM api_key ORDER BY name").map {
                APIKeyInfo(
                    name: $0["name"], createdAt: $0["created_at"], createdBy: $0["created_by"], revokedAt: $0["revoked_at"])
            }
        }
    }

    /// Revokes the key `name` for good; journalled.
    public static func revoke(
        _ database: GuichetDatabase, name: String, by: String?, channel: Channel = .cli,
        now: Date = Date()
    ) throws {
        try database.writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT name, revoked_at FROM api_key WHERE name = ?", arguments: [name])
            else {
                throw APIKeyError(kind: .unknown, name: name)
            }
            guard (row["revoked_at"] as String?) == nil else { throw APIKeyError(kind: .alreadyRevoked, name: row["name"]) }
            try db.execute(sql: "UPDATE api_key SET revoked_at = ? WHERE name = ?", arguments: [Timestamp.format(now), name])
            try Journal.append(
                db,
                JournalEntry(
                    staff: by, channel: channel, action: .apiKeyRevoked,
                    details: ["name": row["name"] as String]), at: now)
        }
    }

    /// What the key `presented` is. The lookup is by hash (so timing says nothing about the key itself), and the
    /// hash found is compared again in constant time.
    public static func check(_ database: GuichetDatabase, presented: String) throws -> APIKeyCheck {
        guard presented.hasPrefix(prefix), presented.utf8.count < 128 else { return .unknown }
        let digest = hash(presented)
        let row = try database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT name, key_hash, revoked_at FROM api_key WHERE key_hash = ?", arguments: [digest])
        }
        guard let row, constantTimeEqual(Array((row["key_hash"] as String).utf8), Array(digest.utf8)) else { return .unknown }
        return (row["revoked_at"] as String?) == nil ? .valid(name: row["name"]) : .revoked(name: row["name"])
    }

    static func hash(_ key: String) -> String { hexString(Digest.sha256(Array(key.utf8))) }
}
