import CLI
import Foundation

exit(Postdesk.main(Array(CommandLine.arguments.dropFirst()), io: .process()))
