import Foundation
import Guichet

/// `[ent]`'s connection keys: Guichet talks to the ENT as the school's delegated administrator when
/// `admin_login` is set. Valid if and only if: `admin_login`, `admin_password_file` and `structure_ids` are all set
/// or all absent; the password comes from the systemd credential `ent-admin-password` when the unit passes one
/// (`$CREDENTIALS_DIRECTORY`, set up by `Scripts/install --ent-password`), else from the password file, which must
/// be readable, of mode 0600 or 0640; either way its first line is not empty; `url` is https, or plain http to a
/// loopback address.
extension GuichetConfiguration {
    public struct ENTConnection: Sendable, Equatable {
        public var adminLogin: String?
        public var adminPasswordFile: String?
        public var structureIDs: [String] = []
        /// The platform's `reset-code-expire-delay` (24 h in the usual deployment template, 1 h in entcore's code).
        public var codeValidityHours = 24.0
        /// PEM file of certificate authorities for the ENT, instead of the system's.
        public var caBundle: String?
    }

    /// The systemd credential's name: `LoadCredential=ent-admin-password:/etc/guichet/ent-password`.
    public static let entCredentialName = "ent-admin-password"

    /// What the ENT connection runs with, or nil when `admin_login` is absent (renewal codes stay Guichet's own).
    /// `credentialsDirectory` is systemd's `$CREDENTIALS_DIRECTORY` (absent outside a unit that loads credentials).
    public func entSettings(
        credentialsDirectory: String? = ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"]
    ) throws(ConfigurationErrors) -> ENTSettings? {
        let c = entConnection
        func problem(_ key: String, _ reason: String) -> ConfigurationErrors {
            ConfigurationErrors(problems: [
                ConfigurationError(file: source, line: line(of: "ent.\(key)"), key: "[ent] \(key)", reason: reason)
            ])
        }
        guard let login = c.adminLogin else {
            if c.adminPasswordFile != nil || !c.structureIDs.isEmpty {
                throw problem("admin_login", "missing: admin_password_file and structure_ids need the administrator's login")
            }
            return nil
        }
        guard let file = c.adminPasswordFile else {
            throw problem("admin_password_file", "missing: the administrator's password file is needed with admin_login")
        }
        guard !c.structureIDs.isEmpty else {
            throw problem("structure_ids", "missing: list the ENT ids of the school's structures")
        }
        let password = try entPassword(file: file, credentialsDirectory: credentialsDirectory, problem)
        do {
            return try ENTSettings(
                url: ent.url, adminLogin: login, password: password, structureIDs: c.structureIDs,
                codeValidityHours: c.codeValidityHours, caBundle: c.caBundle)
        } catch {
            throw problem("url", error.reason)
        }
    }

    /// The credential first: systemd copied it, as root, from a file the service itself may not be able to read,
    /// into a folder only the service sees (mode 0400); so no mode check there. Then the file, checked as before.
    private func entPassword(
        file: String, credentialsDirectory: String?, _ problem: (String, String) -> ConfigurationErrors
    ) throws(ConfigurationErrors) -> String {
        if let directory = credentialsDirectory, !directory.isEmpty {
            let credential = directory + "/" + Self.entCredentialName
            if FileManager.default.fileExists(atPath: credential) {
                guard let text = try? String(contentsOfFile: credential, encoding: .utf8) else {
                    throw problem("admin_password_file", "cannot read the credential \(credential) (not UTF-8?)")
                }
                let password = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
                guard !password.isEmpty else {
                    throw problem(
                        "admin_password_file", "the credential \(Self.entCredentialName) (\(credential)) is empty")
                }
                return password
            }
        }
        var info = stat()
        guard stat(file, &info) == 0 else { throw problem("admin_password_file", "cannot read \(file) (missing?)") }
        let mode = info.st_mode & 0o777
        guard mode == 0o600 || mode == 0o640 else {
            throw problem(
                "admin_password_file",
                "\(file) has mode \(String(mode, radix: 8)): it must be 0600, or 0640 root:guichet (chmod 0640)")
        }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw problem("admin_password_file", "cannot read \(file) (not readable by this user, or not UTF-8)")
        }
        let password = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        guard !password.isEmpty else { throw problem("admin_password_file", "the first line of \(file) is empty") }
        return password
    }

    /// `["4f2c…", "…"]`: the ENT's structure ids, each one line of letters, digits and hyphens.
    static func structureIDs(_ v: ConfigurationValue) throws -> [String] {
        guard case .array(let items) = v else {
            throw Invalid(reason: "must be an array of strings, e.g. [\"4f2c…\"] (not \(v.kind))")
        }
        let ids = try items.map { item -> String in
            let s = try string(item)
            guard !s.isEmpty, s.count <= 128, s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) })
            else {
                throw Invalid(reason: "\"\(s)\" is not a structure id (letters, digits, - and _)")
            }
            return s
        }
        guard !ids.isEmpty else { throw Invalid(reason: "must list at least one structure") }
        return ids
    }
}
