import Foundation

/// The sheets' English wording, all of it (for families who read English better than French).
extension SheetText {
    static let english = SheetText(
        title: "Digital school workspace (ENT) — personal sign-in sheet",
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
        federatedLabel: "SIGNING IN",
        federatedBox: { "This account signs in with \($0): no activation code, no ENT password to choose." },
        qrCaption: "ENT address",
        intro: "The ENT gives access to the school's homework diary, timetable, marks and messages. This sheet is personal: do not hand it to anyone.",
        firstConnectionTitle: "First sign-in",
        firstConnectionSteps: { url in [
            "Open \(url) in a web browser (or scan the QR code with a phone).",
            "Type your login and your activation code, exactly as printed above.",
            "Choose your password and type it twice.",
            "Give your e-mail address; you may also give a mobile phone number (optional).",
            "Read and accept the ENT's terms of use: your account is activated.",
        ] },
        firstConnectionNote: "The activation code works once. Keep your password to yourself: the school will never ask for it. Keep this sheet safe, or destroy it once the account is activated.",
        activatedTitle: "Forgotten password?",
        activatedSteps: { url in [
            "Open \(url) and click « Mot de passe oublié » (forgotten password) under the sign-in form.",
            "Type your login: a link to choose a new password is sent to your account's e-mail address.",
            "No longer have that address? Come to the front desk with an identity document: you will be given a renewal code.",
        ] },
        activatedNote: "Keep your password to yourself: the school will never ask for it.",
        federatedTitle: "Signing in",
        federatedSteps: { url, service in [
            "Open \(url) in a web browser (or scan the QR code with a phone).",
            "Choose « Se connecter avec \(service) » (sign in with \(service)).",
            "Identify yourself with your \(service) account: the ENT recognises you, with no code or ENT password.",
        ] },
        federatedNote: "If signing in fails, ask at the school's front desk.",
        firstConnectionShort: "First sign-in: open the address shown, type the login and the code, choose a password (twice), give your e-mail (phone optional), accept the terms of use.",
        activatedShort: "Account already activated. Forgotten password: « Mot de passe oublié » on the sign-in page, or a renewal code at the front desk.",
        federatedShort: { "Sign in with \($0): open the address shown and choose « Se connecter avec \($0) ». No activation code." },
        dates: { data, printed in
            (data.map { "ENT data of \($0)" } ?? "ENT data: date unknown") + " · sheet printed on \(printed)"
        },
        cutHere: "Cut here: the top goes to the person, the bottom stays with the school.",
        receiptTitle: "Receipt — kept by the school",
        receiptAccount: { number, name, login in "Sheet no. \(number) — account of \(name) (\(login))" },
        receiptHandedTo: { printed, handedTo in
            guard let handedTo else { return "Handed over on ………………………… to ……………………………………………… · identity document checked: ……………………" }
            let who = spokenName(first: handedTo.firstName, last: handedTo.lastName) + (handedTo.isParent ? " (parent)" : "")
            return "Handed over on \(printed) to \(who) · identity document checked: \(englishDocument(handedTo.idCheck)) · by \(handedTo.staff)"
        },
        receiptSignature: "Signature of the person:",
        idCheck: englishDocument,
        day: { "\(two($0.day))/\(two($0.month))/\($0.year.map(String.init) ?? "????")" },
        dayAndTime: { "\(two($0.day))/\(two($0.month))/\($0.year.map(String.init) ?? "????") at \(two($0.hour)):\(two($0.minute))" },
        mail: MailWording(
            subject: "Your ENT account",
            greeting: { "Hello \($0)," },
            body: { variant, school, url in
                let sheet: [String]
                switch variant {
                case .notActivated:
                    sheet = ["Attached is your sign-in sheet for the ENT of \(school): your login and activation code, with the first-connection steps.",
                             "Open \(url), type the login and the code as printed, then choose your password."]
                case .activated:
                    sheet = ["Your ENT account is already activated. Attached is a reminder of your login and what to do if you forgot your password.",
                             "On \(url), use the “Forgotten password” link; if you no longer have access to your e-mail address, come to the front desk with an identity document."]
                case .federated(let service):
                    sheet = ["Attached is how to sign in to the ENT of \(school): with your \(service) account, no activation code.",
                             "Open \(url) and choose “Sign in with \(service)”."]
                }
                return sheet + ["This message is personal. If it is not meant for you, ignore it and tell the school."]
            },
            signature: { "The front desk — \($0)" },
            attachmentName: { "ENT-sheet-\($0).pdf" }))

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
