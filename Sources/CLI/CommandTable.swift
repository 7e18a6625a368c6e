/// Every `postdesk` verb, in the order `--help` lists them.
public enum CommandTable {
    public static let all: [Command] = [
        CheckConfigCommand.command,
        MigrateCommand.command,
        RunCommand.command,
        TicketsCommand.command,
        ShowCommand.command,
        SLACommand.command,
        SearchCommand.command,
        ReportCommand.command,
        AgentCommands.set,
        AgentCommands.reply,
        AgentCommands.note,
        AgentCommands.new,
        AgentCommands.merge,
        AgentCommands.link,
        RawCommand.command,
        ExplainCommand.command,
        AttachmentsCommand.command,
        AttachmentCommand.command,
        MailboxesCommand.command,
        QuarantineCommand.command,
        OutboxCommand.command,
        AutomaticSendersCommand.command,
        TemplatesCommand.command,
        StatsCommand.command,
        DoctorCommand.command,
        ParseCommand.command,
        RulesCommand.command,
    ]

    public static func find(_ name: String) -> Command? { all.first { $0.name == name } }
}
