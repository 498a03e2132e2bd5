import Foundation
import GRDB

/// Why the desk cannot print a sheet. Each case is a stable code the service maps to HTTP.
public enum SheetError: DeskError, Equatable, CustomStringConvertible {
    case accountNotFound(String)
    /// The recipient is neither "self" nor a parent linked to the account.
    case notALinkedParent(recipient: String, account: String)
    /// A batch whose filters select nobody.
    case emptyBatch
    /// The account left the ENT's export (`since`): a sheet would hand over a login that no longer works, or soon
    /// will not. Only a reviewer may still print it, saying so (`allowGone`), and the journal records it.
    case accountGone(login: String, since: String)
    /// A batch's class named without its structure, which several structures have (a cité scolaire's "2NDE 1").
    case ambiguousClass(name: String, structures: [String])

    public var description: String {
        switch self {
        case .accountNotFound(let login): "no account has the login \(login)"
        case .notALinkedParent(let recipient, let account): "\(recipient) is not a parent linked to \(account)"
        case .emptyBatch: "no account matches these filters"
        case .accountGone(let login, let since): "\(login) is gone from the ENT's export since \(since.prefix(10))"
        case .ambiguousClass(let name, let structures):
            "the class \"\(name)\" is in \(structures.count) structures (\(structures.joined(separator: "; "))): "
                + "name one, as \"STRUCTURE:\(name)\" or with a structure filter"
        }
    }

    public var code: String {
        switch self {
        case .accountNotFound: "account-not-found"
        case .notALinkedParent: "bad-recipient"
        case .emptyBatch: "empty-batch"
        case .accountGone: "account-gone"
        case .ambiguousClass: "bad-filter"
        }
    }

    public var kind: DeskErrorKind {
        switch self {
        case .accountNotFound: .notFound
        case .notALinkedParent, .emptyBatch, .ambiguousClass: .invalid
        case .accountGone: .conflict
        }
    }

    public var detail: String {
        switch self {
        case .accountNotFound(let login): login
        case .notALinkedParent: description
        case .emptyBatch: ""
        case .accountGone(let login, let since): "\(login) since \(since.prefix(10))"
        case .ambiguousClass: description
        }
    }
}

/// A sheet printed at the desk: the PDF and the journal row that numbers it.
public struct DeskSheet: Sendable {
    public let pdf: [UInt8]
    /// The `sheet-printed` row's seq: the "Fiche n°" printed on it.
    public let number: Int64
    public let variant: String
}

/// The journal details of a `sheet-printed` row: who printed is the row's `staff`, for whom its `target`.
struct SheetPrintedDetails: Encodable {
    let recipient: String
    let idCheck: String
    let variant: String
    let printer: String?
    /// "checked" when the ENT confirmed the state before printing, "unavailable: …" when it could not; absent
    /// without an ENT connection.
    var ent: String? = nil
    /// "owner", "parent" or "student-for-parents" (a parent's sheet handed to their child to take home).
    var handover: String? = nil
    /// Set when a reviewer printed the sheet of an account gone from the export, confirming it.
    var goneConfirmed: Bool? = nil
}

/// The journal details of a `print-failed` row.
struct PrintFailedDetails: Encodable {
    let sheet: String
    let printer: String
    let error: String
}

extension Sheets {
    /// Prints `login`'s sheet for the desk: checks the recipient, appends the `sheet-printed` row and renders the
    /// sheet with that row's number, in one transaction: a sheet exists if and only if its row does.
    /// `printer` is only recorded (the caller sends the PDF to it once the row is committed). A recipient other than
    /// the owner is a linked parent (a student's sheet), or a linked child (a parent's sheet, handed to the student
    /// for the parents). An account gone from the export is refused unless `allowGone` (a reviewer who confirmed).
    public static func printAtDesk(
        _ database: GuichetDatabase, login: String, idCheck: IDCheck, recipient: Recipient,
        staff: String, channel: Channel, settings: SheetSettings, printer: String? = nil,
        allowGone: Bool = false, now: Date = Date(), ent: ENTCheck? = nil
    ) throws -> DeskSheet {
        try database.writer.write { db in
            guard let (_, loaded) = try SheetPeople.load(login: login, db) else { throw SheetError.accountNotFound(login) }
            var person = loaded
            if let since = person.goneSince, !allowGone { throw SheetError.accountGone(login: login, since: since) }
            // The ENT's answer wins over the last import: activated since, or a new activation code.
            if case .checked(let live)? = ent { person.activationCode = live.activationCode }
            let handedTo: Sheet.HandedTo
            switch recipient {
            case .owner:
                handedTo = Sheet.HandedTo(
                    firstName: person.firstName, lastName: person.lastName, role: .owner,
                    idCheck: idCheck, staff: staff)
            case .parent(let other):
                if let parent = person.parents.first(where: { $0.login == other }) {
                    handedTo = Sheet.HandedTo(
                        firstName: parent.firstName, lastName: parent.lastName, role: .parent,
                        idCheck: idCheck, staff: staff)
                } else if person.profile == .relative, let child = person.children.first(where: { $0.login == other }) {
                    handedTo = Sheet.HandedTo(
                        firstName: child.firstName, lastName: child.lastName, role: .studentForParents,
                        idCheck: idCheck, staff: staff)
                } else {
                    throw SheetError.notALinkedParent(recipient: other, account: login)
                }
            }
            let dataDate = try SheetPeople.dataDate(db)
            // The variant does not depend on the number: decide it first, so the row says what was printed.
            let variant = Sheet(person: person, settings: settings, stamp: Sheet.Stamp(number: "", printedAt: now, dataDate: nil))
                .variantName
            let seq = try Journal.append(
                db,
                JournalEntry(
                    staff: staff, channel: channel, action: .sheetPrinted, target: person.login,
                    details: SheetPrintedDetails(
                        recipient: recipient.journalValue, idCheck: idCheck.rawValue, variant: variant,
                        printer: printer, ent: ent?.journalValue, handover: handedTo.role.rawValue,
                        goneConfirmed: person.goneSince == nil ? nil : true)), at: now)
            var stamp = Sheet.Stamp(number: String(seq), printedAt: now, dataDate: dataDate, handedTo: handedTo)
            if case .checked(let live)? = ent { stamp.entCheckedAt = live.checkedAt }
            let sheet = Sheet(person: person, settings: settings, stamp: stamp)
            let title = settings.language.text.number(String(seq))
            return DeskSheet(
                pdf: try SheetRenderer.render([sheet], perPage: .one, settings: settings, title: title),
                number: seq, variant: variant)
        }
    }

    /// Records that sending sheet `number` to the printer failed (after its `sheet-printed` row was committed).
    public static func journalPrintFailure(
        _ database: GuichetDatabase, number: Int64, login: String, printer: String,
        error: String, staff: String, channel: Channel
    ) throws {
        try database.writer.write { db in
            _ = try Journal.append(
                db,
                JournalEntry(
                    staff: staff, channel: channel, action: .printFailed, target: login,
                    details: PrintFailedDetails(
                        sheet: String(number), printer: printer,
                        error: String(error.prefix(300)))))
        }
    }
}

/// Credential sheets: one at the desk (`printAtDesk`), or batches (`Sheets.batch`).
public enum Sheets {}
