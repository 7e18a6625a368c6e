import Foundation
import Ticketing

extension Doctor {
    /// The notification templates in force: how many, in which languages, and each language whose
    /// statuses and priorities are not all named (its mails show English names there).
    func checkTemplates(_ report: (DoctorFinding) -> Void) {
        let set = config.notifications.templates
        let overridden = set.all.filter { $0.textOrigin != "shipped" || ($0.htmlOrigin ?? "shipped") != "shipped" }.count
        report(DoctorFinding(.ok, "templates", "\(set.all.count) templates in \(set.languages.joined(separator: ", ")); \(overridden) overridden"))
        for warning in set.warnings {
            report(DoctorFinding(.warn, "templates: names", warning,
                                 hint: "copy names.en.txt (shipped in /usr/share/doc/postdesk/templates) as names.<language>.txt and translate it"))
        }
    }
}
