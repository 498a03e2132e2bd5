import Foundation

/// One credential sheet: whose account it is, what it hands over, and the stamp that ties it to the journal.
public struct Sheet: Sendable, Equatable {
    /// The account the sheet is for, as the sheet prints it.
    public struct Person: Sendable, Equatable {
        public var login: String
        public var firstName: String
        public var lastName: String
        public var profile: Profile
        public var classes: [String]
        /// The ENT's activation code; nil or empty once the account is activated.
        public var activationCode: String?
        /// For a parent: the linked children, in register order.
        public var children: [Child]
        /// Every linked parent (a recipient other than the person must be one of them).
        public var parents: [Child]
        public var email: String?
        public var createdOn: String?
        /// When the account left the ENT's export ("yyyy-MM-dd…"); nil while it is in it.
        public var goneSince: String?
        /// The export's structures (schools) of the account, as the export names them.
        public var structures: [String] = []
        /// The export's `Fonctions` ("ADMIN_LOCAL"…).
        public var functions: [String] = []
        /// When Guichet first saw the account (the creation date's stand-in when the export has none).
        public var firstSeen: String?

        public init(
            login: String, firstName: String, lastName: String, profile: Profile, classes: [String] = [],
            activationCode: String? = nil, children: [Child] = [], parents: [Child] = [],
            email: String? = nil, createdOn: String? = nil
        ) {
            (self.login, self.firstName, self.lastName, self.profile, self.classes) = (
                login, firstName, lastName, profile, classes
            )
            (self.activationCode, self.children, self.parents, self.email, self.createdOn) = (
                activationCode, children, parents, email, createdOn
            )
        }
    }

    /// A linked person, as named on a sheet.
    public struct Child: Sendable, Equatable {
        public var login: String
        public var firstName: String
        public var lastName: String
        public var classes: [String]

        public init(login: String, firstName: String, lastName: String, classes: [String]) {
            (self.login, self.firstName, self.lastName, self.classes) = (login, firstName, lastName, classes)
        }
    }

    /// What the sheet hands over.
    public enum Variant: Sendable, Equatable {
        /// Login, activation code, ENT address and the first-connection steps.
        case notActivated(code: String)
        /// Login and the forgotten-password procedure.
        case activated
        /// Signs in through one of `services`: how to connect, no login, no code.
        case federated(services: [FederationService])
    }

    /// Who got the sheet and how it is numbered.
    public struct Stamp: Sendable, Equatable {
        /// "1234" at the desk (the journal row's seq), "1234-17" in a batch (the batch row's seq and the rank).
        public var number: String
        public var printedAt: Date
        /// When the ENT exported the data the sheet shows (the last import's export date).
        public var dataDate: Date?
        /// The person it was handed to, when known (at the desk); nil leaves the receipt's line blank.
        public var handedTo: HandedTo?
        /// When the ENT confirmed the account's state just before printing; nil: printed from the last import.
        public var entCheckedAt: Date?

        public init(number: String, printedAt: Date, dataDate: Date?, handedTo: HandedTo? = nil) {
            (self.number, self.printedAt, self.dataDate, self.handedTo) = (number, printedAt, dataDate, handedTo)
        }
    }

    public struct HandedTo: Sendable, Equatable {
        public enum Role: String, Sendable, Equatable {
            /// The account's owner.
            case owner
            /// A parent linked to the account's owner (a student's sheet handed to the parent).
            case parent
            /// A student linked to the parent who owns the account, who takes it home ("remis à l'élève pour ses
            /// parents": the way some schools distribute parents' sheets).
            case studentForParents = "student-for-parents"
        }
        public var firstName: String
        public var lastName: String
        public var role: Role
        public var idCheck: IDCheck
        public var staff: String
    }

    /// Who the sheet says it is for, as its "personal" line words it.
    public enum Handover: Sendable, Equatable {
        /// Not known when printed (a batch, an e-mail to the owner's own address).
        case unknown
        case owner
        /// Handed to this parent ("Sophie Gérard").
        case toParent(String)
        /// Handed to this student, for the parents who own the account.
        case viaStudent(String)
    }

    public var handover: Handover {
        guard let handedTo = stamp.handedTo else { return .unknown }
        let name = SheetText.spokenName(first: handedTo.firstName, last: handedTo.lastName)
        switch handedTo.role {
        case .owner: return .owner
        case .parent: return .toParent(name)
        case .studentForParents: return .viaStudent(name)
        }
    }

    public var person: Person
    public var variant: Variant
    public var stamp: Stamp

    /// The variant follows from the account and the settings: a federated profile never shows a code, even when
    /// the export still carries one (the ENT generates codes for every account).
    public init(person: Person, settings: SheetSettings, stamp: Stamp) {
        self.person = person
        self.stamp = stamp
        if let services = settings.federation.services(for: person.profile) {
            variant = .federated(services: services)
        } else if let code = person.activationCode, !code.isEmpty {
            variant = .notActivated(code: code)
        } else {
            variant = .activated
        }
    }

    /// The journal's name of the variant.
    public var variantName: String {
        switch variant {
        case .notActivated: "not-activated"
        case .activated: "activated"
        case .federated: "federated"
        }
    }
}

/// The identity document the desk checked before handing a sheet over. Only its kind is recorded, never its number.
public enum IDCheck: String, Sendable, Codable, CaseIterable {
    case cni
    case passport
    case residencePermit = "residence-permit"
    case drivingLicence = "driving-licence"
    /// The agent knows the person (a student of the school, a colleague).
    case known
    case other
}

/// Who the sheet is handed to: the account's owner, or one of the owner's linked parents (by login).
public enum Recipient: Sendable, Equatable {
    case owner
    case parent(login: String)

    /// "self" or a parent's login, as the API and the journal write it.
    public init(_ text: String) {
        self = text == "self" ? .owner : .parent(login: text)
    }

    public var journalValue: String {
        switch self {
        case .owner: "self"
        case .parent(let login): login
        }
    }
}
