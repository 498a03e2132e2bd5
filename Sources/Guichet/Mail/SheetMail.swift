import Foundation
import Mail

/// Builds the e-mail that carries one person's sheet: French (or English) text and HTML from `MailWording`, the sheet
/// rendered as the desk would print it, attached as a PDF.
enum SheetMail {
    static func compose(
        _ sheet: Sheet, to address: String, mail: MailSettings, sheets: SheetSettings,
        now: Date
    ) throws -> MailMessage {
        let wording = sheets.language.text.mail
        let subject = wording.subject(sheets.entName)
        let person = sheet.person
        let name = SheetText.spokenName(first: person.firstName, last: person.lastName)
        let paragraphs = wording.body(
            sheet.variant, sheets.schoolName, sheets.entURL, sheets.entName ?? sheets.language.text.defaultENT)
        let signature = wording.signature(sheets.schoolName)
        let greeting = wording.greeting(name)
        let text = ([greeting] + paragraphs).joined(separator: "\n\n") + "\n\n-- \n" + signature + "\n"
        let html =
            "<!DOCTYPE html>\n<html lang=\"\(sheets.language.rawValue)\"><head><meta charset=\"utf-8\"><title>"
            + escape(subject) + "</title></head>\n<body>\n"
            + ([greeting] + paragraphs).map { "<p>" + escape($0) + "</p>\n" }.joined()
            + "<p>— " + escape(signature) + "</p>\n</body></html>\n"
        // The attachment is not a paper sheet: no cut line, no receipt, no signature box.
        let pdf = try SheetRenderer.render(
            [sheet], perPage: .one, settings: sheets, title: sheets.language.text.number(sheet.stamp.number),
            medium: .mail)
        let from = MailAddress(mail.fromAddress, name: mail.fromName)
        return MailMessage(
            from: from, to: MailAddress(address, name: name), replyTo: mail.replyTo.map { MailAddress($0) },
            subject: subject, text: text, html: html,
            attachments: [
                MailAttachment(
                    fileName: wording.attachmentName(fileSafe(person.login)),
                    contentType: "application/pdf", bytes: pdf)
            ],
            messageID: MailMessage.newMessageID(from: from), date: now)
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A login as a file name: ENT logins are ASCII already; anything else becomes "_" rather than a quoted name.
    private static func fileSafe(_ login: String) -> String {
        String(login.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
    }
}
