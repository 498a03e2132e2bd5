import Foundation
import Guichet

/// The keys of the configuration file, each with the one setter that reads and checks its value. The file and the
/// flags go through the same setters, so a value is refused for the same reason wherever it comes from.
///
/// A file is valid if and only if: it is TOML; every top-level entry is one of the sections below; every key of a
/// section is one listed for it; every value has the type and range its setter asks for; `[tls]` has both
/// `certificate` and `key` or neither. Absent keys keep their defaults.
extension GuichetConfiguration {
    /// A value the setter refuses, and why ("must be from 0 to 65535 (not 70000)").
    struct Invalid: Error {
        let reason: String
        /// The key inside the value the reason is about ("relative" of `federated = { relative = … }`), for its line.
        var subKey: String? = nil
    }
    typealias Setter = @Sendable (inout GuichetConfiguration, ConfigurationValue) throws -> Void

    /// Sections in the order the example file presents them; keys in the order they are documented.
    static let sections: KeyValuePairs<String, KeyValuePairs<String, Setter>> = [
        "school": [
            "name": { c, v in c.school.name = try text(v, max: 120) },
            "uai": { c, v in c.school.uai = try uai(v) },
            "time_zone": { c, v in
                let name = try string(v)
                guard let zone = TimeZone(identifier: name) else {
                    throw Invalid(reason: "unknown time zone \"\(name)\" (e.g. \"Europe/Paris\")")
                }
                c.school.timeZone = zone
            },
            "class_levels": { c, v in c.school.classLevels = try classLevels(v) }
        ],
        "ent": [
            "url": { c, v in c.ent.url = try webAddress(v) },
            "name": { c, v in c.ent.name = try text(v, max: 60) },
            "previous": { c, v in
                guard case .array(let list) = v else {
                    throw Invalid(reason: "must be a list of names, e.g. [\"Lillie\", \"PCN\"] (not \(v.kind))")
                }
                c.ent.previous = try list.map { try text($0, max: 60) }
            },
            "federated": { c, v in c.ent.federated = try federations(v) },
            "admin_login": { c, v in c.entConnection.adminLogin = try text(v, max: 254) },
            "admin_password_file": { c, v in c.entConnection.adminPasswordFile = try path(v) },
            "structure_ids": { c, v in c.entConnection.structureIDs = try structureIDs(v) },
            "code_validity_hours": { c, v in
                let hours = try number(v)
                guard hours > 0, hours <= 720 else {
                    throw Invalid(reason: "must be more than 0 and at most 720 hours (not \(hours))")
                }
                c.entConnection.codeValidityHours = hours
            },
            "ca_bundle": { c, v in c.entConnection.caBundle = try path(v) }
        ],
        "renewal": [
            "code_length": { c, v in
                c.renewal = try RenewalSettings(length: integer(v, in: RenewalSettings.lengths), validity: c.renewal.validity)
            },
            "validity_hours": { c, v in
                let hours = try number(v)
                guard hours >= 1.0 / 60, hours <= 720 else {
                    throw Invalid(reason: "must be from 0.0167 (one minute) to 720 hours (30 days) (not \(hours))")
                }
                c.renewal = try RenewalSettings(length: c.renewal.length, validity: hours * 3600)
            }
        ],
        "kiosk": [
            "idle_lock_seconds": { c, v in c.kiosk.idleLockSeconds = try integer(v, in: 5...3600) },
            "session_idle_minutes": { c, v in c.kiosk.sessionIdleMinutes = try integer(v, in: 1...720) },
            "stale_days": { c, v in c.kiosk.staleDays = try integer(v, in: 1...90) },
            "web": { c, v in c.kiosk.web = try path(v) },
            "next_person_seconds": { c, v in c.kiosk.nextPersonSeconds = try integer(v, in: 0...120) }
        ],
        "review": [
            "opening_hours": { c, v in
                let s = try string(v)
                guard let hours = OpeningHours(parsing: s) else {
                    throw Invalid(
                        reason: "must be \"HH:MM-HH:MM\" with opening before closing, e.g. \"07:30-18:30\" (not \"\(s)\")")
                }
                c.review.openingHours = hours
            },
            "burst_sheets": { c, v in c.review.burstSheets = try integer(v, in: 2...1000) },
            "burst_minutes": { c, v in c.review.burstMinutes = try integer(v, in: 1...1440) }
        ],
        "journal": [
            "keep_months": { c, v in c.journal.keepMonths = try integer(v, in: 6...12, why: " (the CNIL's recommendation)") }
        ],
        "print": [
            "printer": { c, v in c.print.printer = try printer(v) },
            "sheet_language": { c, v in
                let s = try string(v)
                guard let language = SheetLanguage(rawValue: s) else {
                    throw Invalid(reason: "must be \"fr\" or \"en\" (not \"\(s)\")")
                }
                c.print.sheetLanguage = language
            }
        ],
        "server": [
            "bind": { c, v in c.server.bind = try ipAddress(v) },
            "port": { c, v in c.server.port = UInt16(try integer(v, in: 0...65535)) },
            "threads": { c, v in c.server.threads = try integer(v, in: 1...64) },
            "host_names": { c, v in c.server.hostNames = try hostNames(v) }
        ],
        "tls": [
            // Both are needed; a half-filled section is refused after the keys are read (see `parse`).
            "certificate": { c, v in c.tls = TLS(certificate: try path(v), key: c.tls?.key ?? "") },
            "key": { c, v in c.tls = TLS(certificate: c.tls?.certificate ?? "", key: try path(v)) }
        ],
        "mail": [
            "host": { c, v in c.mail.host = try hostName(v) },
            "port": { c, v in c.mail.port = try integer(v, in: 1...65535) },
            "security": { c, v in
                let s = try string(v)
                guard let security = MailSecurity(rawValue: s) else {
                    throw Invalid(reason: "must be \"starttls\", \"tls\" or \"none\" (not \"\(s)\")")
                }
                c.mail.security = security
            },
            "username": { c, v in c.mail.username = try text(v, max: 254) },
            "password": { c, v in c.mail.password = try string(v) },
            "password_file": { c, v in c.mail.passwordFile = try path(v) },
            "from_address": { c, v in c.mail.fromAddress = try mailAddress(v) },
            "from_name": { c, v in c.mail.fromName = try text(v, max: 120) },
            "reply_to": { c, v in c.mail.replyTo = try mailAddress(v) },
            "max_attempts": { c, v in c.mail.maxAttempts = try integer(v, in: 1...20) },
            "retry_minutes": { c, v in
                let minutes = try number(v)
                guard minutes > 0, minutes <= 24 * 60 else {
                    throw Invalid(reason: "must be more than 0 and at most 1440 minutes (not \(minutes))")
                }
                c.mail.retryMinutes = minutes
            }
        ],
        "database": [
            "path": { c, v in c.databasePath = try path(v) }
        ]
    ]

    static func setter(section: String, key: String) -> Setter? {
        sections.first { $0.key == section }?.value.first { $0.key == key }?.value
    }

    // MARK: Value readers: each names the type or range it wants and what it got.

    /// `["guichet.lycee.local", …]`: the names the service may be reached by (the Host header is checked).
    static func hostNames(_ v: ConfigurationValue) throws -> [String] {
        guard case .array(let items) = v else { throw Invalid(reason: "must be a list of names, e.g. [\"guichet.lycee.local\"]") }
        return try items.map { item in
            let name = try string(item).lowercased()
            guard !name.isEmpty, name.count <= 253,
                name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-".contains($0)) })
            else {
                throw Invalid(reason: "\"\(name)\" is not a host name (letters, digits, '.' and '-')")
            }
            return name
        }
    }

    static func string(_ v: ConfigurationValue) throws -> String {
        guard case .string(let s) = v else { throw Invalid(reason: "must be a string in quotes (not \(v.kind))") }
        return s
    }

    static func text(_ v: ConfigurationValue, max: Int) throws -> String {
        let s = try string(v).trimmingCharacters(in: .whitespaces)
        guard !s.isEmpty else { throw Invalid(reason: "must not be empty") }
        guard s.count <= max, !s.contains(where: \.isNewline) else {
            throw Invalid(reason: "must be one line of at most \(max) characters")
        }
        return s
    }

    static func integer(_ v: ConfigurationValue, in range: ClosedRange<Int>, why: String = "") throws -> Int {
        guard case .integer(let n) = v else { throw Invalid(reason: "must be a whole number (not \(v.kind))") }
        guard range.contains(n) else {
            throw Invalid(reason: "must be from \(range.lowerBound) to \(range.upperBound)\(why) (not \(n))")
        }
        return n
    }

    static func number(_ v: ConfigurationValue) throws -> Double {
        switch v {
        case .integer(let n): return Double(n)
        case .float(let d) where d.isFinite: return d
        default: throw Invalid(reason: "must be a number (not \(v.kind))")
        }
    }

    static func path(_ v: ConfigurationValue) throws -> String {
        let s = try string(v)
        guard !s.trimmingCharacters(in: .whitespaces).isEmpty else { throw Invalid(reason: "must be a file path, not empty") }
        guard !s.contains("\0"), !s.contains(where: \.isNewline) else { throw Invalid(reason: "must be a file path") }
        return s
    }

    /// 7 digits and the check letter: the number modulo 23 indexes "ABCDEFGHJKLMNPRSTUVWXYZ" (0750654 → D).
    static func uai(_ v: ConfigurationValue) throws -> String {
        let s = try string(v).uppercased()
        let letters = Array("ABCDEFGHJKLMNPRSTUVWXYZ")
        guard s.count == 8, let number = Int(s.prefix(7)), s.prefix(7).allSatisfy(\.isASCII), let last = s.last, last.isLetter
        else {
            throw Invalid(reason: "must be a UAI: 7 digits and a letter, e.g. \"0750654D\" (not \"\(s)\")")
        }
        guard letters[number % 23] == last else {
            throw Invalid(reason: "\"\(s)\" is not a valid UAI: its check letter should be \(letters[number % 23])")
        }
        return s
    }

    static func webAddress(_ v: ConfigurationValue) throws -> String {
        let s = try string(v)
        guard let url = URL(string: s), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = url.host, !host.isEmpty
        else {
            throw Invalid(reason: "must be a web address starting with https:// (not \"\(s)\")")
        }
        return s
    }

    /// `{ relative = ["EduConnect", "FranceConnect"], teacher = "academy" }`: a service or a list of them, each one
    /// of `FederationService`'s names. A name Guichet cannot word ("votre compte académique") is refused.
    static func federations(_ v: ConfigurationValue) throws -> Federation {
        guard case .table(let entries) = v else {
            throw Invalid(
                reason:
                    "must be a table of profile = \"service\" or [\"service\", …], e.g. { relative = [\"EduConnect\", \"FranceConnect\"] } (not \(v.kind))"
            )
        }
        var map: [Profile: [FederationService]] = [:]
        for (name, value) in entries.sorted(by: { $0.key < $1.key }) {
            guard let profile = Profile(option: name) else {
                throw Invalid(
                    reason: "\"\(name)\" is not a profile (student, relative, teacher, personnel or guest)", subKey: name)
            }
            let items: [ConfigurationValue]
            if case .array(let list) = value { items = list } else { items = [value] }
            guard !items.isEmpty else { throw Invalid(reason: "\(name): must name at least one service", subKey: name) }
            var services: [FederationService] = []
            for item in items {
                let text: String
                do { text = try string(item) } catch let e as Invalid {
                    throw Invalid(reason: "\(name): \(e.reason)", subKey: name)
                }
                guard let service = FederationService(configName: text) else {
                    throw Invalid(
                        reason:
                            "\(name): unknown federation service \"\(text)\"; the services are \(FederationService.configNames)",
                        subKey: name)
                }
                guard !services.contains(service) else {
                    throw Invalid(reason: "\(name): \"\(text)\" is named twice", subKey: name)
                }
                services.append(service)
            }
            map[profile] = services
        }
        return Federation(map)
    }

    /// `{ "BTS1" = ["bts sio 1", "sio1"], "UPE2A" = ["upe2a"] }`: prefixes of class names added to the standard
    /// table's levels (or new levels, after them). A prefix given to two levels is refused.
    static func classLevels(_ v: ConfigurationValue) throws -> ClassLevels {
        guard case .table(let entries) = v else {
            throw Invalid(reason: "must be a table of level = [\"prefix\", …], e.g. { \"BTS1\" = [\"sio1\"] } (not \(v.kind))")
        }
        var levels = ClassLevels.standard
        for (name, value) in entries.sorted(by: { $0.key < $1.key }) {
            let items: [ConfigurationValue]
            if case .array(let list) = value { items = list } else { items = [value] }
            let prefixes = try items.map { item in
                do { return try text(item, max: 40) } catch let e as Invalid {
                    throw Invalid(reason: "\(name): \(e.reason)", subKey: name)
                }
            }
            do { try levels.add(ClassLevels.Level(name: name, prefixes: prefixes)) } catch {
                throw Invalid(reason: error.description, subKey: name)
            }
        }
        return levels
    }

    /// A CUPS queue name: "up to 127 printable characters except space, / and #" (lpadmin(8)).
    static func printer(_ v: ConfigurationValue) throws -> String? {
        let s = try string(v)
        if s.isEmpty { return nil }
        guard s.count <= 127, s.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "/" && $0 != "#" }) else {
            throw Invalid(reason: "must be a CUPS queue name: printable characters without spaces, / or # (not \"\(s)\")")
        }
        return s
    }

    /// A relay's host name or IP literal: letters, digits, dots, hyphens and (for IPv6) colons.
    static func hostName(_ v: ConfigurationValue) throws -> String {
        let s = try string(v)
        guard !s.isEmpty, s.count <= 253, s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-:".contains($0)) })
        else {
            throw Invalid(reason: "must be a host name or an IP address, e.g. \"smtp.ac-versailles.fr\" (not \"\(s)\")")
        }
        return s
    }

    /// A plain `local@domain` address, as the relay will be given it.
    static func mailAddress(_ v: ConfigurationValue) throws -> String {
        let s = try string(v)
        guard MailSettings.isPlainAddress(s) else {
            throw Invalid(reason: "must be a plain e-mail address such as \"vie-scolaire@lycee.example.org\" (not \"\(s)\")")
        }
        return s
    }

    /// An IPv4 or IPv6 literal: the daemon binds to exactly this address and resolves no names.
    static func ipAddress(_ v: ConfigurationValue) throws -> String {
        let s = try string(v)
        var v4 = in_addr(), v6 = in6_addr()
        guard inet_pton(AF_INET, s, &v4) == 1 || inet_pton(AF_INET6, s, &v6) == 1 else {
            throw Invalid(reason: "must be an IP address such as \"127.0.0.1\", \"0.0.0.0\" or \"::1\" (not \"\(s)\")")
        }
        return s
    }
}
