import Foundation

/// Every word a sheet prints, for one language. The wording itself lives in `SheetText+fr.swift` and
/// `SheetText+en.swift` and nowhere else; the renderer only places it.
struct SheetText: Sendable {
    /// How the sheet names the ENT when `[ent] name` is not set: "l'ENT".
    var defaultENT: String
    /// Under the school's name: what the document is ("MonLycée.net — fiche de connexion personnelle").
    var title: @Sendable (_ ent: String) -> String
    /// "Fiche n° 1234".
    var number: @Sendable (String) -> String
    /// A profile's name: "Élève", "Parent"…
    var profile: @Sendable (Profile) -> String
    /// The line under the name: "Élève de 2NDE 3", "Parent de Zoé Gérard (2NDE 3) et d'Inès Gérard (TLE G2)".
    var role: @Sendable (Sheet.Person) -> String
    var loginLabel: String
    var codeLabel: String
    /// Under the code: it is typed as printed, lower case, without spaces.
    var codeHint: String
    var activatedLabel: String
    var activatedBox: String
    /// Above the services, where a login would be: "SE CONNECTE AVEC".
    var federatedLabel: String
    /// "EduConnect ou FranceConnect", "son compte académique".
    var federatedServices: @Sendable ([FederationService]) -> String
    var federatedBox: @Sendable (_ ent: String, _ services: [FederationService]) -> String
    var qrCaption: @Sendable (_ ent: String) -> String

    /// What the sheet is for (no promise of what the ENT holds: each school opens its own services).
    var intro: @Sendable (_ ent: String) -> String
    /// Who the sheet is for, and that it stays with that person: worded for the one it is handed to.
    var personal: @Sendable (_ handover: Sheet.Handover, _ owner: String) -> String
    var firstConnectionTitle: String
    var firstConnectionSteps: @Sendable (_ url: String, _ ent: String) -> [String]
    var firstConnectionNote: String
    var activatedTitle: String
    /// The forgotten-password path, in the words of the ENT's login page.
    var activatedSteps: @Sendable (_ url: String, _ ent: String) -> [String]
    var activatedNote: String
    /// "Vous utilisiez Lillie ou PCN ? Votre mot de passe reste le même." (`[ent] previous`), for activated accounts.
    var carriedOver: @Sendable (_ previous: [String], _ ent: String) -> String
    var federatedTitle: String
    var federatedSteps: @Sendable (_ url: String, _ ent: String, _ services: [FederationService]) -> [String]
    var federatedNote: String
    /// The short form of the steps, for 8-up cards.
    var firstConnectionShort: String
    var activatedShort: String
    var federatedShort: @Sendable (_ services: [FederationService]) -> String

    /// "Données ENT du 16/03/2026 · fiche imprimée le 21/11/2026 à 08:30".
    var dates: @Sendable (_ data: String?, _ printed: String) -> String
    /// "vérifié auprès de MonLycée.net à 10:42" (`[ent] name`, else "l'ENT"): after the dates line of a sheet whose state the ENT confirmed at print time.
    var entChecked: @Sendable (_ ent: String, _ time: String) -> String
    var cutHere: String
    var receiptTitle: String
    /// "Fiche n° 1234 — compte de GÉRARD Zoé (zoe.gerard)".
    var receiptAccount: @Sendable (_ number: String, _ name: String, _ login: String) -> String
    /// "Remise le … à Sophie Gérard (parent), pièce vérifiée : passeport, par agent".
    var receiptHandedTo: @Sendable (_ printed: String, _ handedTo: Sheet.HandedTo?) -> String
    var receiptSignature: String
    var idCheck: @Sendable (IDCheck) -> String
    /// "21/11/2026".
    var day: @Sendable (DateComponents) -> String
    /// "21/11/2026 à 08:30".
    var dayAndTime: @Sendable (DateComponents) -> String
    /// The e-mail that carries the sheet (Mail/).
    var mail: MailWording
}

extension SheetText {
    /// "GÉRARD Zoé": the register's "NOM Prénom". Unicode upper-cases ß as "SS", which respells a name; the capital
    /// ẞ (German orthography since 2017) keeps it.
    static func registerName(first: String, last: String) -> String {
        let upper = last.replacingOccurrences(of: "ß", with: "ẞ").uppercased()
        return [upper, first].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// "Zoé Gérard": how a parent's sheet names the children, as one says it.
    static func spokenName(first: String, last: String) -> String {
        [first, last].filter { !$0.isEmpty }.joined(separator: " ")
    }

    func formattedDay(_ date: Date, in zone: TimeZone) -> String {
        day(Self.components(date, zone))
    }

    func formattedDayAndTime(_ date: Date, in zone: TimeZone) -> String {
        dayAndTime(Self.components(date, zone))
    }

    private static func components(_ date: Date, _ zone: TimeZone) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }

    static func two(_ n: Int?) -> String { n.map { $0 < 10 ? "0\($0)" : String($0) } ?? "??" }
}
