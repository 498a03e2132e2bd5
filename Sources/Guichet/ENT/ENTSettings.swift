import Foundation

/// How Guichet reaches the school's ENT (entcore) as its delegated local administrator (ADML): `[ent]` once read.
public struct ENTSettings: Sendable {
    /// The platform's address, without a trailing slash ("https://ent.lycee.example.org").
    public let baseURL: String
    /// A dedicated account of the school, delegated administrator of every structure in `structureIDs`.
    public let adminLogin: String
    /// Its password (read from `[ent] admin_password_file`); never logged, never journalled.
    let password: String
    /// The ENT's ids of the school's structures (the admin console's "Identifiant" of each).
    public let structureIDs: [String]
    /// The ENT's `reset-code-expire-delay`: its answer carries no date, so the desk states this one.
    public let codeValidity: TimeInterval
    /// PEM certificate authorities to trust for the ENT instead of the system's.
    public let caBundle: String?
    /// An ordinary call (sign-in, renewal code); the live check at print time waits `liveTimeoutSeconds` at most.
    public var timeoutSeconds = 15.0
    public var liveTimeoutSeconds = 2.0
    /// After a card's look-up went unanswered, cards do not ask the ENT again for this long (each would wait its
    /// `liveTimeoutSeconds` again); sheets still ask each time.
    public var cardQuietSeconds = 30.0
    /// One structure's export (thousands of rows, generated on the fly by the ENT).
    public var exportTimeoutSeconds = 300.0

    /// Throws `ENTSettingsError` for an address Guichet must not send a password to: anything but https, except
    /// plain http to a loopback address (an SSH tunnel, a local proxy, the tests).
    public init(
        url: String, adminLogin: String, password: String, structureIDs: [String],
        codeValidityHours: Double = 24, caBundle: String? = nil
    ) throws(ENTSettingsError) {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        guard let parsed = URL(string: base), let scheme = parsed.scheme?.lowercased(), let host = parsed.host, !host.isEmpty
        else {
            throw ENTSettingsError(reason: "the ENT's address must start with https:// (not \"\(url)\")")
        }
        guard scheme == "https" || (scheme == "http" && Self.isLoopback(host)) else {
            throw ENTSettingsError(
                reason: "the ENT's address must start with https:// (plain http only to a loopback address): \"\(url)\"")
        }
        guard !adminLogin.isEmpty else { throw ENTSettingsError(reason: "admin_login is empty") }
        guard !password.isEmpty else { throw ENTSettingsError(reason: "the administrator's password is empty") }
        guard !structureIDs.isEmpty else { throw ENTSettingsError(reason: "structure_ids lists no structure") }
        guard codeValidityHours > 0, codeValidityHours <= 720 else {
            throw ENTSettingsError(reason: "code_validity_hours must be more than 0 and at most 720 (not \(codeValidityHours))")
        }
        baseURL = base
        self.adminLogin = adminLogin
        self.password = password
        self.structureIDs = structureIDs
        codeValidity = codeValidityHours * 3600
        self.caBundle = caBundle
    }

    /// 127.0.0.0/8, ::1 and "localhost": where plain http never leaves the machine.
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare == "::1" { return true }
        var address = in_addr()
        guard inet_pton(AF_INET, bare, &address) == 1 else { return false }
        return UInt32(bigEndian: address.s_addr) >> 24 == 127
    }
}

/// An `[ent]` configuration Guichet refuses, and why.
public struct ENTSettingsError: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public var description: String { reason }
}

extension ENTSettings: CustomStringConvertible, CustomDebugStringConvertible {
    /// Everything but the password, so that no log or dump ever carries it.
    public var description: String {
        "ENTSettings(url: \(baseURL), admin: \(adminLogin), structures: \(structureIDs), codeValidity: \(Int(codeValidity)) s, caBundle: \(caBundle ?? "system"))"
    }
    public var debugDescription: String { description }
}
