import Foundation
import GRDB
import PDF

/// The printable daily report: the chain's head (entry number and hash) and whether the chain verified, the day's
/// activity per agent and per action, what deserves a look, the sensitive actions one by one, the sign-offs already
/// recorded, and a box where the reviewer signs. Searches, card views and ordinary sign-ins are counted, not listed:
/// they are most of a day's rows and the journal itself keeps them.
public enum JournalReport {
    /// Actions counted but not listed one by one.
    static let routine: Set<String> = [
        JournalAction.search.rawValue, JournalAction.accountViewed.rawValue,
        JournalAction.signIn.rawValue, JournalAction.signOut.rawValue
    ]

    /// Reads the day and verifies the chain in one snapshot, then draws the report.
    public static func render(
        _ database: GuichetDatabase, day: JournalDay, rules: ReviewRules, schoolName: String,
        by staff: String, now: Date = Date()
    ) throws -> [UInt8] {
        let witnessed = try? JournalWitness.lastHead(at: database.witness.path)
        let (review, verification) = try database.writer.read { db in
            let review = try JournalReview.make(db, day: day, rules: rules)
            let verification: Result<JournalVerification, JournalError>
            do { verification = .success(try Journal.verify(db, witness: witnessed ?? nil)) } catch let error as JournalError {
                verification = .failure(error)
            }
            return (review, verification)
        }
        return try draw(review, verification: verification, schoolName: schoolName, by: staff, now: now, timeZone: rules.timeZone)
    }

    /// Draws the report; twice when the page count guessed for the footers was wrong.
    public static func draw(
        _ review: JournalReview, verification: Result<JournalVerification, JournalError>,
        schoolName: String, by staff: String, now: Date, timeZone: TimeZone
    ) throws -> [UInt8] {
        var pages = 1
        while true {
            let (bytes, drawn) = try draw(review, verification, schoolName, staff, now, timeZone, pages: pages)
            if drawn == pages { return bytes }
            pages = drawn
        }
    }

    private static func draw(
        _ review: JournalReview, _ verification: Result<JournalVerification, JournalError>,
        _ schoolName: String, _ staff: String, _ now: Date, _ timeZone: TimeZone,
        pages: Int
    ) throws -> ([UInt8], Int) {
        let time = { (iso: String) in Timestamp.parse(iso).map { clock($0, timeZone) } ?? iso }
        let generated = "\(ReportFrench.shortDay(JournalDay.of(now, in: timeZone))) à \(clock(now, timeZone))"
        let w = try ReportWriter(
            title: "\(ReportFrench.title) — \(review.day)",
            footer: ReportFrench.footer(review.day, generatedAt: generated, by: staff), totalPages: pages)

        try w.paragraph(schoolName.uppercased(), style: TextStyle(size: 10, bold: true, gray: 0.35), after: 2)
        try w.paragraph(ReportFrench.title, style: TextStyle(size: 19, bold: true), after: 3)
        try w.paragraph(
            ReportFrench.dayLine(review.day, timeZone: review.timeZone), style: TextStyle(size: 12, gray: 0.2), after: 6)

        // The chain: the figures the reviewer copies onto paper.
        try w.heading(ReportFrench.chain, keep: 90)
        let boxTop = w.y
        w.y += 8
        if let head = review.head {
            try w.paragraph(ReportFrench.headLine(head.seq), style: ReportWriter.bold, x: 10, width: w.width - 20, after: 3)
            try w.paragraph(ReportFrench.fingerprint, x: 10, width: w.width - 20, after: 2)
            try w.paragraph(head.hash.grouped(by: 8), style: ReportWriter.mono, x: 10, width: w.width - 20, after: 6)
        } else {
            try w.paragraph(ReportFrench.noHead, x: 10, width: w.width - 20, after: 6)
        }
        try w.paragraph(
            ReportFrench.dayEntries(review.entries.count, first: review.entries.first?.seq, last: review.entries.last?.seq),
            x: 10, width: w.width - 20, after: 3)
        switch verification {
        case .success(let v): try w.paragraph(ReportFrench.verified(v), x: 10, width: w.width - 20, after: 8)
        case .failure(let e):
            try w.paragraph(ReportFrench.broken(e), style: ReportWriter.bold, x: 10, width: w.width - 20, after: 8)
        }
        w.doc.rect(
            Rect(x: w.margin, y: boxTop, width: w.width, height: w.y - boxTop), stroke: Stroke(width: 0.8, gray: 0.3),
            cornerRadius: 4)
        w.y += 4

        // Activity: two count tables side by side.
        try w.heading(ReportFrench.activity, keep: 80)
        let staffRows = review.byStaff.map { [$0.name ?? ReportFrench.nobody, ReportFrench.number(Int64($0.count))] }
        let actionRows = review.byAction.map { [ReportFrench.action($0.name ?? ""), ReportFrench.number(Int64($0.count))] }
        let top = w.y
        try w.table(header: [ReportFrench.byStaff, "Nombre"], widths: [165, 70], rows: staffRows)
        let leftEnd = (w.pageCount, w.y)
        w.y = top
        try w.table(header: [ReportFrench.byAction, "Nombre"], widths: [190, 70], rows: actionRows, x: w.width - 260)
        if w.pageCount == leftEnd.0 { w.y = max(w.y, leftEnd.1) }

        try w.heading(ReportFrench.toReview)
        if review.flags.isEmpty { try w.paragraph(ReportFrench.nothingToReview) }
        for flag in review.flags {
            let (title, text) = ReportFrench.flag(flag, time: time)
            try w.paragraph("▸ " + title, style: ReportWriter.bold, after: 1)
            try w.paragraph(text, x: 12, after: 5)
        }

        try w.heading(ReportFrench.sensitive)
        try w.paragraph(ReportFrench.sensitiveNote, style: ReportWriter.small, after: 6)
        let sensitive = review.entries.filter { !routine.contains($0.action) }
        if sensitive.isEmpty {
            try w.paragraph(ReportFrench.noSensitive)
        } else {
            try w.table(
                header: ReportFrench.columns, widths: [52, 44, 95, 170, w.width - 361],
                rows: sensitive.map { e in
                    [
                        ReportFrench.number(e.seq), time(e.at), e.staff ?? ReportFrench.nobody, ReportFrench.action(e.action),
                        e.target ?? e.details["name"].map { ReportFrench.triedName($0.text) } ?? ""
                    ]
                }, monoColumns: [4])
        }

        if !review.signOffs.isEmpty {
            try w.heading(ReportFrench.signOffs)
            for s in review.signOffs {
                let when =
                    Timestamp.parse(s.at).map {
                        "\(ReportFrench.shortDay(JournalDay.of($0, in: timeZone))) à \(clock($0, timeZone))"
                    } ?? s.at
                try w.paragraph(ReportFrench.signOff(s, time: when), after: 3)
            }
        }

        try visa(w, review)
        let bytes = try w.finish()
        return (bytes, w.pageCount)
    }

    /// The box the reviewer signs, kept whole on one page.
    private static func visa(_ w: ReportWriter, _ review: JournalReview) throws {
        try w.ensure(190)
        w.y += 14
        let top = w.y
        w.y += 10
        try w.paragraph(ReportFrench.visa, style: TextStyle(size: 12, bold: true), x: 12, width: w.width - 24, after: 4)
        if let head = review.head {
            try w.paragraph(ReportFrench.statement(upTo: head.seq, head: head.hash), x: 12, width: w.width - 24, after: 12)
        }
        let line = Stroke(width: 0.5, gray: 0.4, dash: [2, 2])
        for label in [ReportFrench.nameAndRole, ReportFrench.date] {
            try w.doc.text(label, in: Rect(x: w.margin + 12, y: w.y, width: 110, height: 14), style: ReportWriter.body)
            w.doc.line(
                from: Point(x: w.margin + 120, y: w.y + 12), to: Point(x: w.margin + w.width - 16, y: w.y + 12), stroke: line)
            w.y += 26
        }
        try w.doc.text(
            ReportFrench.signature, in: Rect(x: w.margin + 12, y: w.y, width: 110, height: 14), style: ReportWriter.body)
        w.doc.rect(Rect(x: w.margin + 120, y: w.y, width: 220, height: 60), stroke: Stroke(width: 0.5, gray: 0.5))
        w.y += 72
        w.doc.rect(
            Rect(x: w.margin, y: top, width: w.width, height: w.y - top), stroke: Stroke(width: 1.2, gray: 0.1), cornerRadius: 4)
    }

    /// "09:31" in the school's time zone.
    static func clock(_ date: Date, _ timeZone: TimeZone) -> String {
        let c = JournalDay.calendar(timeZone).dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", c.hour!, c.minute!)
    }
}
