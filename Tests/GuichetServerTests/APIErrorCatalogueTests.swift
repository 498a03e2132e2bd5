import Testing

@testable import Guichet
@testable import GuichetServer

/// The domain's failures become the API's in one place (`APIError.init(_: any DeskError)`): each domain error's code
/// is in the catalogue with the status its kind gives, and the answer is the one the kiosk and connectors know.
@Suite struct APIErrorCatalogueTests {
    static let day = JournalDay("2026-03-02")!
    static let signOff = SignOff(seq: 41, at: "2026-03-02T17:00:00Z", by: "cpe", day: day, upTo: 40, head: "ab")

    /// One of every case of every `DeskError`, with the answer it must get: status, code, detail.
    static let cases: [(any DeskError, Int, String, String)] =
        [
            (SheetError.accountNotFound("lea.martin"), 404, "account-not-found", "lea.martin"),
            (
                SheetError.notALinkedParent(recipient: "paul.x", account: "lea.martin"), 400, "bad-recipient",
                "paul.x is not a parent linked to lea.martin"
            ),
            (SheetError.emptyBatch, 400, "empty-batch", ""),
            (
                SheetError.ambiguousClass(name: "2NDE 1", structures: ["LYCEE A", "COLLEGE B"]), 400, "bad-filter",
                "the class \"2NDE 1\" is in 2 structures (LYCEE A; COLLEGE B): name one, as \"STRUCTURE:2NDE 1\" or with a "
                    + "structure filter"
            ),
            (
                SearchFilterError.structureWithoutClass("0750654D"), 400, "bad-filter",
                "the structure filter \"0750654D\" needs a class (class=0750654D:2NDE 1, or class=2NDE 1&structure=…)"
            ),
            (
                SheetError.accountGone(login: "zoe.gerard", since: "2026-03-01T08:00:00Z"), 409, "account-gone",
                "zoe.gerard since 2026-03-01"
            ),
            (
                Accounts.Refusal.gone(login: "zoe.gerard", since: "2026-03-01T08:00:00Z"), 409, "account-gone",
                "zoe.gerard since 2026-03-01"
            ),
            (
                Accounts.Refusal.federated(login: "m.dupont", [.educonnect, .franceconnect]), 409, "account-federated",
                "m.dupont signs in with EduConnect, FranceConnect"
            ),
            (MailingError.accountNotFound("x"), 404, "account-not-found", "x"),
            (MailingError.noAddress("lea.martin"), 409, "no-email-address", "lea.martin"),
            (MailingError.badAddress("lea.martin"), 409, "bad-email-address", "lea.martin"),
            (
                MailingError.nobodyToSend(selected: 3), 400, "nobody-to-email",
                "none of the 3 selected accounts has an e-mail address on file"
            ),
            (MailingError.deliveryNotFound(7), 404, "delivery-not-found", "7"),
            (MailingError.batchNotFound(8), 404, "mail-batch-not-found", "8"),
            (SignOffError.dayToCome(day), 400, "day-to-come", "2026-03-02"),
            (SignOffError.nothingToSignOff(day), 409, "nothing-to-sign-off", "2026-03-02"),
            (SignOffError.alreadySignedOff(signOff), 409, "already-signed-off", "up to entry 40, by cpe (entry 41)"),
            (
                SignOffError.broken(.broken(seq: 3, reason: "hash")), 409, "journal-broken",
                "journal row 3 is bad: hash"
            ),
            (RenewalError.accountNotFound("x"), 404, "account-not-found", "x"),
            (RenewalError.notActivated("lea.martin"), 409, "account-not-activated", "lea.martin"),
            (RenewalError.staffNotAllowed("ghost"), 403, "forbidden", ""),
            (RenewalError.notLive("lea.martin"), 409, "renewal-code-not-live", "lea.martin"),
            (RenewalError.slipAlreadyPrinted("lea.martin"), 409, "renewal-slip-printed", "lea.martin"),
            (RenewalError.invalidSettings("validity 0"), 500, "internal", ""),
            (RenewalError.keyFile("/var/lib/guichet/renewal.key", "is missing"), 500, "internal", ""),
            (ENTError.forbidden("401 from /directory/user"), 403, "ent-forbidden", "401 from /directory/user"),
            (ENTError.refused("500"), 409, "ent-refused", "500"),
            (ENTError.unreachable("timeout"), 502, "ent-unreachable", "timeout"),
            (ENTError.signInFailed("302 to /auth/login"), 502, "ent-sign-in-failed", "302 to /auth/login"),
            (
                ENTError.mfaRequired, 502, "ent-mfa-required",
                "the ENT asks for multi-factor authentication (/auth/validate-mfa)"
            )
        ] + RenewalRefusal.allCases.map { (RenewalError.refused($0), 403, "renewal-code-\($0.rawValue)", "") }

    @Test func everyDomainErrorAnswersItsCataloguedStatusCodeAndDetail() {
        for (error, status, code, detail) in Self.cases {
            let answer = APIError(error)
            #expect(answer.code == code, "\(error)")
            #expect(answer.status == status, "\(error)")
            #expect(answer.detail == detail, "\(error)")
            let entry = APIError.domainEntries[error.code]
            #expect(entry?.status == status, "\(error.code) is not in the catalogue with status \(status)")
            #expect(answer.hint == entry?.hint && !answer.hint.isEmpty, "\(error.code) has no hint")
        }
    }

    /// The catalogue holds no domain entry that no error carries (a code renamed on one side only).
    @Test func everyDomainEntryOfTheCatalogueIsCarriedByAnError() {
        let carried = Set(Self.cases.map(\.0.code))
        #expect(Set(APIError.domainEntries.keys).subtracting(carried).isEmpty)
    }
}
