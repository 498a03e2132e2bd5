import Foundation

/// The sheets' English wording, all of it (for families who read English better than French).
extension SheetText {
    static let english = SheetText(
        defaultENT: "the ENT",
        title: { ent in (ent == "the ENT" ? "Digital school workspace (ENT)" : ent) + " — personal sign-in sheet" },
        number: { "Sheet no. \($0)" },
        profile: { profile in
            switch profile {
            case .student: "Student"
            case .relative: "Parent"
            case .teacher: "Teacher"
            case .personnel: "Staff"
            case .guest: "Guest"
            }
        },
        role: { person in
            switch person.profile {
            case .student:
                return person.classes.isEmpty ? "Student" : "Student in " + person.classes.joined(separator: ", ")
            case .relative:
                guard !person.children.isEmpty else { return "Parent of a student" }
                let named = person.children.map { child in
                    spokenName(first: child.firstName, last: child.lastName)
                        + (child.classes.isEmpty ? "" : " (" + child.classes.joined(separator: ", ") + ")")
                }
                guard let last = named.last, named.count > 1 else { return "Parent of " + named[0] }
                return "Parent of " + named.dropLast().joined(separator: ", ") + " and " + last
            case .teacher:
                return person.classes.isEmpty ? "Teacher" : "Teacher · " + person.classes.joined(separator: ", ")
            case .personnel: return "School staff"
            case .guest: return "Guest"
            }
        },
        loginLabel: "LOGIN",
        codeLabel: "ACTIVATION CODE",
        codeHint: "type it exactly as printed, lower case, no spaces — valid for the first sign-in only",
        activatedLabel: "ACCOUNT ALREADY ACTIVATED",
        activatedBox: "You have already chosen your password: sign in with the login above and that password.",
        federatedLabel: "SIGNS IN WITH",
        federatedServices: englishServices,
        federatedBox: { ent, services in
            "No login or activation code to receive: this account signs in to \(ent) with \(englishServices(services))."
        },
        qrCaption: { "Address of \($0)" },
        intro: { ent in "This sheet lets you sign in to \(ent), the school's digital workspace." },
        personal: { handover, owner in
            switch handover {
            case .owner, .unknown:
                "It is personal: do not hand it to anyone."
            case .toParent(let parent):
                "It is personal to \(owner), handed to \(parent), their parent: do not hand it to anyone else."
            case .viaStudent(let student):
                "It is personal to \(owner), handed to the student \(student) for their parents: do not hand it to anyone else."
            }
        },
        firstConnectionTitle: "First sign-in",
        firstConnectionSteps: { url, ent in
            [
                "Open \(url) in a web browser (or scan the QR code with a phone).",
                "Type your login and your activation code, exactly as printed above.",
                "Choose your password and type it twice.",
                "Give your e-mail address; you may also give a mobile phone number (optional).",
                "Read and accept the terms of use of \(ent): your account is activated."
            ]
        },
        firstConnectionNote:
            "The activation code works once. Keep your password to yourself: the school will never ask for it. Keep this sheet safe, or destroy it once the account is activated.",
        activatedTitle: "Forgotten password?",
        activatedSteps: { url, ent in
            [
                "Open \(url) and click « \(frenchForgotten) » (forgotten password) on the sign-in page.",
                "Type your login: a message to choose a new password is sent to your account's e-mail address.",
                "No longer have that address? Come to the front desk with an identity document: you will be given a renewal code, to type in the password field."
            ]
        },
        activatedNote: "Keep your password to yourself: the school will never ask for it.",
        carriedOver: { previous, ent in
            "Did you use \(englishList(previous))? Your password stays the same on \(ent)."
        },
        federatedTitle: "Signing in",
        federatedSteps: { url, ent, services in
            [
                "Open \(url) in a web browser (or scan the QR code with a phone).",
                "On the sign-in page, choose " + englishList(services.map(englishButton)) + ".",
                "Identify yourself with \(englishServices(services)): \(ent) recognises you, with no login or password of its own."
            ]
        },
        federatedNote: "If signing in fails, ask at the school's front desk.",
        firstConnectionShort:
            "First sign-in: open the address shown, type the login and the code, choose a password (twice), give your e-mail (phone optional), accept the terms of use.",
        activatedShort:
            "Account already activated. Forgotten password: « \(frenchForgotten) » on the sign-in page, or a renewal code at the front desk.",
        federatedShort: { services in
            "No login or code: open the address shown and choose " + englishList(services.map(englishButton)) + "."
        },
        dates: { data, printed in
            (data.map { "ENT data of \($0)" } ?? "ENT data: date unknown") + " · sheet printed on \(printed)"
        },
        entChecked: { ent, time in "checked with \(ent) at \(time)" },
        cutHere: "Cut here: the top goes to the person, the bottom stays with the school.",
        receiptTitle: "Receipt — kept by the school",
        receiptAccount: { number, name, login in "Sheet no. \(number) — account of \(name) (\(login))" },
        receiptHandedTo: { printed, handedTo in
            guard let handedTo else {
                return "Handed over on ………………………… to ……………………………………………… · identity document checked: ……………………"
            }
            let role =
                switch handedTo.role {
                case .owner: ""
                case .parent: " (parent)"
                case .studentForParents: " (student, for their parents)"
                }
            let who = spokenName(first: handedTo.firstName, last: handedTo.lastName) + role
            return
                "Handed over on \(printed) to \(who) · identity document checked: \(englishDocument(handedTo.idCheck)) · by \(handedTo.staff)"
        },
        receiptSignature: "Signature of the person:",
        idCheck: englishDocument,
        day: { "\(two($0.day))/\(two($0.month))/\($0.year.map(String.init) ?? "????")" },
        dayAndTime: {
            "\(two($0.day))/\(two($0.month))/\($0.year.map(String.init) ?? "????") at \(two($0.hour)):\(two($0.minute))"
        },
        mail: MailWording(
            subject: { name in "Your \(name ?? "ENT") account" },
            greeting: { "Hello \($0)," },
            body: { variant, school, url, ent in
                let sheet: [String]
                switch variant {
                case .notActivated:
                    sheet = [
                        "Attached is your sign-in sheet for \(ent) (\(school)): your login and activation code, with the first-connection steps.",
                        "Open \(url), type the login and the code as printed, then choose your password."
                    ]
                case .activated:
                    sheet = [
                        "Your \(ent) account is already activated. Attached is a reminder of your login and what to do if you forgot your password.",
                        "On \(url), click « \(frenchForgotten) » (forgotten password) on the sign-in page; if you no longer have access to your e-mail address, come to the front desk with an identity document."
                    ]
                case .federated(let services):
                    sheet = [
                        "Attached is how to sign in to \(ent) (\(school)): with \(englishServices(services)), no login or activation code.",
                        "Open \(url) and, on the sign-in page, choose " + englishList(services.map(englishButton)) + "."
                    ]
                }
                return sheet + ["This message is personal. If it is not meant for you, ignore it and tell the school."]
            },
            signature: { "The front desk — \($0)" },
            attachmentName: { "ENT-sheet-\($0).pdf" }))

    static func englishServices(_ services: [FederationService]) -> String {
        englishList(
            services.map { service in
                switch service {
                case .educonnect: "EduConnect"
                case .franceconnect: "FranceConnect"
                case .academy: "your academic account"
                }
            })
    }

    static func englishButton(_ service: FederationService) -> String {
        switch service {
        case .educonnect: "« EduConnect »"
        case .franceconnect: "« FranceConnect »"
        case .academy: "your academy's portal"
        }
    }

    /// "A", "A or B", "A, B or C".
    static func englishList(_ items: [String]) -> String {
        guard let last = items.last else { return "" }
        let head = items.dropLast()
        return head.isEmpty ? last : head.joined(separator: ", ") + " or " + last
    }

    static func englishDocument(_ check: IDCheck) -> String {
        switch check {
        case .cni: "national identity card"
        case .passport: "passport"
        case .residencePermit: "residence permit"
        case .drivingLicence: "driving licence"
        case .known: "person known to the school"
        case .other: "other document"
        }
    }
}
