import Foundation
import Ticketing

extension Doctor {
    /// A clock file in the environment moves every deadline, auto-close and log time off the
    /// real time: right for tests, never for a live desk (reported only when set).
    func checkClock(_ report: (DoctorFinding) -> Void) {
        guard let path = environment[FileClock.variable], !path.isEmpty else { return }
        let hint = "unset \(FileClock.variable) (in the shell and the service's Environment=); it is for tests only"
        do {
            let clock = try FileClock(path: path)
            let shown = UTCTimestamp.iso(clock.now(), milliseconds: false)
            let real = UTCTimestamp.iso(SystemClock().now(), milliseconds: false)
            report(DoctorFinding(.warn, "clock", "\(FileClock.variable)=\(path): postdesk's time is \(shown), the system's \(real)", hint: hint))
        } catch {
            report(DoctorFinding(.fail, "clock", "\(FileClock.variable)=\(path): \(error)", hint: hint))
        }
    }
}
