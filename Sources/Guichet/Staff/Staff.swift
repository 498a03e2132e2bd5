import Foundation
import GRDB
import GuichetCrypto

/// The two roles of the desk: an agent searches, prints and renews; a reviewer also reads the journal, prints
/// batches and manages staff.
public enum StaffRole: String, Sendable, Codable, CaseIterable {
    case agent, reviewer
}

/// A member of staff as the service and the command line see them (never the password hash).
public struct StaffMember: Sendable, Codable, Equatable {
    public let name: String
    public let role: StaffRole
    public let disabled: Bool
    public let createdAt: String
}

/// What a session checks on each request (`Staff.standing`).
public struct StaffStanding: Sendable, Equatable {
    public let role: StaffRole
    public let disabled: Bool
    public let epoch: Int64
}

public struct StaffError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: String, Sendable { case unknown, exists, invalidName, weakPassword, disabled }
    public let kind: Kind
    public let name: String

    public var description: String {
        switch kind {
        case .unknown: "no staff member is named \"\(name)\""
        case .exists: "a staff member named \"\(name)\" already exists"
        case .invalidName: "\"\(name)\" is not a valid staff name (2 to 64 letters, digits, '.', '-' or '_')"
        case .weakPassword: "the password for \"\(name)\" is too short (10 characters at least)"
        case .disabled: "\"\(name)\" is disabled"
        }
    }
}

/// Staff accounts: personal, Argon2id-hashed (libsodium `crypto_pwhash_str`), every change journalled in the same
/// transaction. Table `staff` (migration v2-staff): name (unique, case-insensitive), role, password_hash, disabled,
/// created_at, session_epoch (migration v11-staff-sessions). Its DDL: `Storage/schema.sql`.
public enum Staff {
    public static let minimumPasswordLength = 10

    /// Adds a member; `by` is who did it (journalled).
    public static func add(
        _ database: GuichetDatabase, name: String, role: StaffRole, password: String, by: String?,
        channel: Channel = .cli, now: Date = Date()
    ) throws {
        guard name.count >= 2, name.count <= 64,
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) })
        else {
            throw StaffError(kind: .invalidName, name: name)
        }
        guard password.count >= minimumPasswordLength else { throw StaffError(kind: .weakPassword, name: name) }
        let hash = try PasswordHash.hash(password)  // ~85 ms: outside the write transaction
        try database.writer.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM staff WHERE name = ?", arguments: [name]) == true {
                throw StaffError(kind: .exists, name: name)
            }
            try db.execute(
                sql: "INSERT INTO staff (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                arguments: [name, role.rawValue, hash, Timestamp.format(now)])
            try Journal.append(
                db,
                JournalEntry(
                    staff: by, channel: channel, action: .staffAdded,
                    details: ["name": name, "role": role.rawValue]), at: now)
        }
    }

    public static func list(_ database: GuichetDatabase) throws -> [StaffMember] {
        try database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT name, role, disabled, created_at FROM staff ORDER BY name").map {
                StaffMember(
                    name: $0["name"], role: StaffRole(rawValue: $0["role"]) ?? .agent,
                    disabled: $0["disabled"], createdAt: $0["created_at"])
            }
        }
    }

    public static func disable(_ database: GuichetDatabase, name: String, by: String?, channel: Channel = .cli) throws {
        try database.writer.write { db in
            // A new epoch ends every open session of the member (`standing`, checked on each request).
            try db.execute(
                sql: "UPDATE staff SET disabled = 1, session_epoch = session_epoch + 1 WHERE name = ?", arguments: [name])
            guard db.changesCount == 1 else { throw StaffError(kind: .unknown, name: name) }
            try Journal.append(db, JournalEntry(staff: by, channel: channel, action: .staffDisabled, details: ["name": name]))
        }
    }

    public static func setPassword(
        _ database: GuichetDatabase, name: String, password: String, by: String?,
        channel: Channel = .cli
    ) throws {
        guard password.count >= minimumPasswordLength else { throw StaffError(kind: .weakPassword, name: name) }
        let hash = try PasswordHash.hash(password)
        try database.writer.write { db in
            try db.execute(
                sql: "UPDATE staff SET password_hash = ?, session_epoch = session_epoch + 1 WHERE name = ?",
                arguments: [hash, name])
            guard db.changesCount == 1 else { throw StaffError(kind: .unknown, name: name) }
            try Journal.append(
                db, JournalEntry(staff: by, channel: channel, action: .staffPasswordChanged, details: ["name": name]))
        }
    }

    /// Changes a member's role; their open sessions end (they sign in again with the new role).
    public static func setRole(
        _ database: GuichetDatabase, name: String, role: StaffRole, by: String?,
        channel: Channel = .cli
    ) throws {
        try database.writer.write { db in
            try db.execute(
                sql: "UPDATE staff SET role = ?, session_epoch = session_epoch + 1 WHERE name = ?",
                arguments: [role.rawValue, name])
            guard db.changesCount == 1 else { throw StaffError(kind: .unknown, name: name) }
            try Journal.append(
                db,
                JournalEntry(
                    staff: by, channel: channel, action: .staffRoleChanged,
                    details: ["name": name, "role": role.rawValue]))
        }
    }

    /// What a session opened for a member must still match: the role, not disabled, and the session epoch, which
    /// `disable`, `setPassword` and `setRole` move on (an upgraded hash does not). Nil for an unknown name. One
    /// read of one row by its unique index: cheap enough for every request. Its statement is prepared once per
    /// connection: preparing it each time was 0.1M of a journalled search's 3.8M instructions (callgrind, 1M accounts).
    public static func standing(_ database: GuichetDatabase, name: String) throws -> StaffStanding? {
        try database.writer.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT role, disabled, session_epoch FROM staff WHERE name = ?"), arguments: [name]
            )
            .map {
                StaffStanding(
                    role: StaffRole(rawValue: $0["role"]) ?? .agent, disabled: $0["disabled"], epoch: $0["session_epoch"])
            }
        }
    }

    /// Journals a sign-out (explicit, or by the idle lock).
    public static func signOut(_ database: GuichetDatabase, name: String, reason: String, channel: Channel) throws {
        try database.writer.write { db in
            try Journal.append(db, JournalEntry(staff: name, channel: channel, action: .signOut, details: ["reason": reason]))
        }
    }

    /// A valid Argon2id hash of a random password, computed once.
    static let dummyHash: String = {
        // Hashing a fresh random string cannot fail short of memory exhaustion: treat that as fatal.
        try! PasswordHash.hash(SecureRandom.token())
    }()
}
