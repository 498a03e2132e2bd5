/// The services an ENT lets a profile sign in through instead of its own login and password. Seed ONE: parents
/// sign in with EduConnect or FranceConnect ("il n'y a pas de compte responsable à distribuer"); teachers with their
/// academy's account (the portal the academy runs: ARENA, Esterel…). A federated account has no login to hand over,
/// no activation code and no renewal code: the ENT refuses one for it (`generatePasswordRenewalCode` answers 500).
public enum FederationService: String, CaseIterable, Sendable, Codable {
    case educonnect = "EduConnect"
    case franceconnect = "FranceConnect"
    /// The academy's own portal, with the teacher's academic account.
    case academy = "academy"

    /// Reads a configuration value: "EduConnect", "FranceConnect" or "academy", any case, accents and spaces ignored.
    public init?(configName: String) {
        switch Folding.key(configName) {
        case "educonnect": self = .educonnect
        case "franceconnect": self = .franceconnect
        case "academy", "academie", "academique", "portailacademique", "compteacademique": self = .academy
        default: return nil
        }
    }

    /// The names the configuration takes, for messages.
    public static let configNames = "\"EduConnect\", \"FranceConnect\" or \"academy\" (the academy's portal)"
}

/// Which profiles sign in through which services (`[ent] federated`). Profiles not listed use the ENT's own login.
public struct Federation: Sendable, Equatable {
    public var services: [Profile: [FederationService]]

    public init(_ services: [Profile: [FederationService]] = [:]) {
        self.services = services.filter { !$0.value.isEmpty }
    }

    /// The services `profile` signs in with, or nil when it signs in with the ENT's login.
    public func services(for profile: Profile) -> [FederationService]? {
        services[profile]
    }

    public func isFederated(_ profile: Profile) -> Bool { services[profile] != nil }

    /// The profiles' raw values, for SQL conditions ("profile NOT IN (…)").
    var profileValues: [String] { services.keys.map(\.rawValue).sorted() }
}
