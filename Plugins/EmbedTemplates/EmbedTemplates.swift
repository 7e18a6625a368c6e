import Foundation
import PackagePlugin

/// Compiles the Daemon's shipped notification templates (`Outbound/Templates/*.txt|html`) into
/// the module at build time: the files are the one source, and the binary needs nothing on disk.
@main
struct EmbedTemplates: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard target.name == "Daemon" else { return [] }
        // (Target.directoryURL needs tools-version 6.1; the package's own is 6.0.)
        let directory = context.package.directoryURL.appending(path: "Sources/Daemon/Outbound/Templates")
        let inputs = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { ["txt", "html"].contains($0.pathExtension) && !$0.lastPathComponent.hasPrefix(".") }
        let output = context.pluginWorkDirectoryURL.appending(path: "ShippedTemplates.swift")
        return [.buildCommand(displayName: "Embedding \(inputs.count) notification templates",
                              executable: try context.tool(named: "TemplateEmbedder").url,
                              arguments: [directory.path, output.path],
                              inputFiles: inputs, outputFiles: [output])]
    }
}
